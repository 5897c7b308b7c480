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
