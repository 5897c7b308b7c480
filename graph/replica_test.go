package graph

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSplitReadsSendsOnlyQueriesToTheStandby(t *testing.T) {
	answer := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			_, _ = io.WriteString(w, name+":"+string(body))
		})
	}
	h := SplitReads(answer("standby"), answer("primary"), Limits{BodyBytes: 200})
	cases := []struct {
		body, want string
	}{
		{`{"query":"{ structures { totalCount } }"}`, "standby"},
		{`{"query":"query Q { search(query: \"mutation\") { id } }"}`, "standby"},
		{`{"query":"mutation { cancelAnnouncement(id: \"1\") { id } }"}`, "primary"},
		{`{"query":"query A { x } mutation B { y }","operationName":"A"}`, "standby"},
		{`{"query":"query A { x } mutation B { y }","operationName":"B"}`, "primary"},
		{`{"query":"query A { x } mutation B { y }"}`, "primary"},
		{`[{"query":"mutation { y }"}]`, "primary"},
		{`{"query":"mutation {"}`, "primary"},
		{`{"query":"{ x }", "pad":"` + strings.Repeat("m", 300) + `mutation"}`, "primary"},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(c.body)))
		require.Equal(t, c.want+":"+c.body, rec.Body.String(), "the body reaches the handler whole")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/graphql?query=mutation", nil))
	require.Equal(t, "standby:", rec.Body.String(), "a GET never runs a mutation")
}
