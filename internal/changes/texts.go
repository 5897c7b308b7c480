package changes

import (
	"net/url"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Length limits of the texts of a record, in characters. They bound what
// one change may store (a megabyte of name was accepted) and are documented
// in the schema's inputs.
const (
	MaxShortText = 300    // names, titles, codes, each value of a list
	MaxLongText  = 10_000 // description, content, note
	MaxURL       = 2_000  // web addresses
	MaxListItems = 100    // values of a list field
)

// longTexts and urls name the fields, by their input names, that are not
// short texts.
var (
	longTexts = map[string]bool{"description": true, "content": true, "note": true, "audienceText": true}
	urls      = map[string]bool{"website": true, "url": true, "registrationUrl": true}
)

// texts checks every text field of a record, read through its JSON names
// (those of the GraphQL inputs): valid UTF-8 without NUL, within its
// length, and for a web address, an http or https one: a javascript: or
// data: address would run in the pages that link it.
func (c *checker) texts(rec any) {
	v := reflect.ValueOf(rec)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		switch fv := v.Field(i); {
		case fv.Kind() == reflect.String:
			c.text(name, fv.String())
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
			if fv.Len() > MaxListItems {
				c.add(name, "au plus %d valeurs", MaxListItems)
				continue
			}
			for j := range fv.Len() {
				c.text(name, fv.Index(j).String())
			}
		}
	}
}

func (c *checker) text(field, value string) {
	limit := MaxShortText
	switch {
	case longTexts[field]:
		limit = MaxLongText
	case urls[field]:
		limit = MaxURL
	}
	switch {
	case !utf8.ValidString(value) || strings.ContainsRune(value, 0):
		c.add(field, "caractère nul ou texte qui n'est pas de l'UTF-8 valide")
	case utf8.RuneCountInString(value) > limit:
		c.add(field, "trop long : %d caractères, au plus %d", utf8.RuneCountInString(value), limit)
	case urls[field] && value != "" && !webAddress(value):
		c.add(field, "adresse « %s » refusée : attendu une adresse web en http:// ou https://", shorten(value))
	}
}

// webAddress accepts http and https addresses, and those written without a
// scheme (www.exemple.org), which the pages complete with https.
func webAddress(value string) bool {
	if strings.ContainsAny(value, " \t\r\n<>\"") {
		return false
	}
	u, err := url.Parse(value)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "":
		return !strings.Contains(strings.SplitN(value, "/", 2)[0], ":")
	}
	return false
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}
