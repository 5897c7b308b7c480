package jsontree

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestResponseIsWhatEncodingJSONWrites(t *testing.T) {
	for _, doc := range []string{
		`{"a" : 1, "b" : [1, 2, 3], "c" : "é\t\u0001<>&\""}`,
		`{"name" : "Lianes <b>\"coopération\"</b> \\ l'été & cie, : [ ]", "n" : [{"x" : "\\<"}, ` + "\n" + ` {"y" : null}]}`,
		`{"lignes" : "a\u2028b\u2029c – d"}`,
		"{\"brut\" : \"a\u2028b\u2029c \u2027 \u202a\"}",
		`[]`,
	} {
		want, err := json.Marshal(map[string]json.RawMessage{"data": json.RawMessage(doc)})
		if err != nil {
			t.Fatal(err)
		}
		got := append(appendEscaped([]byte(`{"data":`), []byte(doc)), '}')
		if !bytes.Equal(got, want) {
			t.Errorf("appendEscaped(%s) = %s, want %s", doc, got, want)
		}
	}
}

// TestResponseOfRandomDocuments writes random documents, spaced out as a
// database writes them, and requires what encoding/json writes of them.
func TestResponseOfRandomDocuments(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "é", " ", "<", ">", "&", "\"", "\\", "\n", "\t", "\u2028", "\u2029", "\u2027", "–", "/", "'", "{", "]", ":", ",",
		"Rencontre forage ", "abcdefg", "Projet de l'été 2021 à Dakar"} // runs of plain bytes
	text := func() string {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	for range 2000 {
		doc := map[string]any{text(): text(), "list": []any{text(), 12, nil, true, map[string]any{text(): []string{text()}}}}
		// Spaced out, and with <, > and & as they are, as the database writes them.
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		spaced := bytes.TrimSpace(buf.Bytes())
		want, err := json.Marshal(map[string]json.RawMessage{"data": spaced})
		if err != nil {
			t.Fatal(err)
		}
		got := append(appendEscaped([]byte(`{"data":`), spaced), '}')
		if !bytes.Equal(got, want) {
			t.Fatalf("appendEscaped(%s) = %s, want %s", spaced, got, want)
		}
	}
}

// TestResponseOfUnfinishedDocuments: a document cut anywhere (never one from
// the database) is copied without a panic.
func TestResponseOfUnfinishedDocuments(t *testing.T) {
	doc := []byte(`{"title" : "Rencontre forage 12 <b> \\ & \u2028", "list" : ["abcdefghijklmnop"]}`)
	for cut := range len(doc) {
		appendEscaped(nil, doc[:cut])
	}
}

// BenchmarkAppendEscaped writes the answer of fifty events as PostgreSQL
// writes it (json_build_object and json_agg: spaced, French titles).
func BenchmarkAppendEscaped(b *testing.B) {
	var doc bytes.Buffer
	doc.WriteString(`{"events" : {"nodes" : [`)
	for i := range 50 {
		if i > 0 {
			doc.WriteString(", \n ")
		}
		fmt.Fprintf(&doc, `{"id" : "Event:%d", "title" : "Rencontre électrification %d", "kind" : "WEBINAIRE", "status" : "PROVISIONAL", "online" : true, "date" : {"label" : "%d mars 2021", "precision" : "DAY", "from" : "2021-03-%02d", "to" : "2021-03-%02d", "fixed" : true}, "audiences" : [{"name" : "Associations de solidarité internationale"}], "themes" : [{"name" : "Eau & assainissement"}]}`, i, i, i%28+1, i%28+1, i%28+1)
	}
	doc.WriteString(`]}}`)
	out := make([]byte, 0, 2*doc.Len())
	b.SetBytes(int64(doc.Len()))
	for b.Loop() {
		out = appendEscaped(out[:0], doc.Bytes())
	}
}
