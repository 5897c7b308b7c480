package graph

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/graph/compile"
)

// TestHiddenErrorsNameEachPath reads answers holding the mark of hidden
// fields at every depth (lists in lists, keys JSON escapes, empty and null
// values beside) and requires FORBIDDEN on each path, in the answer's
// order, and nowhere else.
func TestHiddenErrorsNameEachPath(t *testing.T) {
	mark, err := json.Marshal(compile.HiddenMark)
	require.NoError(t, err)
	answer := strings.ReplaceAll(`{
		"a": {"nodes": [{"email": MARK, "name": "x"}, {"email": MARK, "name": "x SUB"}, {}]},
		"b": [[{"e\"q": MARK}], [], [null, {"k": [MARK, 1, {"z": MARK}]}]],
		"c": null, "d": {"x": {"y": {"phone": MARK}}, "w": [true, false, 1.5, "s"]},
		"e": MARK}`, "MARK", string(mark))
	answer = strings.ReplaceAll(answer, "SUB", compile.HiddenMark) // inside a longer text: not a hidden field
	errs, err := hiddenErrors([]byte(answer))
	require.NoError(t, err)
	var paths []string
	for _, e := range errs {
		require.Equal(t, CodeForbidden, e.Extensions["code"])
		raw, err := json.Marshal(e.Path)
		require.NoError(t, err)
		paths = append(paths, string(raw))
	}
	require.Equal(t, []string{
		`["a","nodes",0,"email"]`, `["a","nodes",1,"email"]`,
		`["b",0,0,"e\"q"]`, `["b",2,1,"k",0]`, `["b",2,1,"k",2,"z"]`,
		`["d","x","y","phone"]`, `["e"]`,
	}, paths)

	errs, err = hiddenErrors([]byte(`{"a": {"nodes": [{"email": null}]}, "b": "interdit:"}`))
	require.NoError(t, err)
	require.Empty(t, errs, "no mark, no error")

	_, err = hiddenErrors([]byte(`{"a": [`))
	require.Error(t, err, "a broken answer is not read as a whole one")
}
