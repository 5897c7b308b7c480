package jsontree

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestCompactKeepsStringsAndDropsSpaces(t *testing.T) {
	for _, doc := range []string{
		`{"a" : 1, "b" : [1, 2, 3], "c" : "é\t\u0001<>&\""}`,
		`{"name" : "Lianes \"coopération\" \\ l'été, : [ ]", "n" : [{"x" : "\\"}, ` + "\n" + ` {"y" : null}]}`,
		`[]`,
		`{"s" : "a \\\" b", "t" : true}`,
	} {
		var want bytes.Buffer
		if err := json.Compact(&want, []byte(doc)); err != nil {
			t.Fatal(err)
		}
		if got := compact([]byte(doc)); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("compact(%s) = %s, want %s", doc, got, want.Bytes())
		}
	}
}

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
