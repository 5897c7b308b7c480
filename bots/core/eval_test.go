package core_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"go.yaml.in/yaml/v3"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// demoClock is the demo's day, for the brain and the services alike.
var demoClock = clock.Fixed(time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris))

type evalCase struct {
	Q      string   `yaml:"q"`
	Now    string   `yaml:"now"`
	As     string   `yaml:"as"`
	Intent string   `yaml:"intent"`
	First  string   `yaml:"first"`
	Has    []string `yaml:"has"`
	Lacks  []string `yaml:"lacks"`
	Empty  bool     `yaml:"empty"`
	Says   string   `yaml:"says"`
}

func loadEval(t *testing.T) []evalCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/eval.yaml")
	require.NoError(t, err)
	var cases []evalCase
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&cases))
	return cases
}

// newBrain seeds the demo into db and returns a brain over it.
func newBrain(t testing.TB, bdb *bun.DB) *core.Brain {
	t.Helper()
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	return core.New(domain.New(bdb, demoClock), demoClock, "https://lianes.test")
}

// check returns what is wrong with an answer, or "".
func (c evalCase) check(a core.Answer) string {
	var titles []string
	for _, it := range a.Items {
		titles = append(titles, it.Title)
	}
	var problems []string
	if a.Intent != c.Intent {
		problems = append(problems, fmt.Sprintf("intent %q, attendu %q", a.Intent, c.Intent))
	}
	if c.First != "" && (len(titles) == 0 || titles[0] != c.First) {
		problems = append(problems, fmt.Sprintf("premier %q, attendu %q", strings.Join(titles[:min(1, len(titles))], ""), c.First))
	}
	for _, want := range c.Has {
		if !contains(titles, want) {
			problems = append(problems, fmt.Sprintf("manque %q", want))
		}
	}
	for _, not := range c.Lacks {
		if contains(titles, not) {
			problems = append(problems, fmt.Sprintf("contient %q", not))
		}
	}
	if c.Empty && len(titles) > 0 {
		problems = append(problems, fmt.Sprintf("%d élément(s), attendu aucun", len(titles)))
	}
	if c.Says != "" && !strings.Contains(a.Title+"\n"+strings.Join(a.Lines, "\n"), c.Says) {
		problems = append(problems, fmt.Sprintf("ne dit pas %q", c.Says))
	}
	if len(problems) > 0 {
		return strings.Join(problems, " ; ") + fmt.Sprintf(" (réponse : %s %v)", a.Title, titles)
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestEvaluationSet asks every question of testdata/eval.yaml on both
// databases and reports each one.
func TestEvaluationSet(t *testing.T) {
	cases := loadEval(t)
	require.GreaterOrEqual(t, len(cases), 80)
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		brain := newBrain(t, bdb)
		failed := 0
		for i, c := range cases {
			t.Run(fmt.Sprintf("%03d %s", i+1, c.Q), func(t *testing.T) {
				now := time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris)
				if c.Now != "" {
					var err error
					now, err = clock.Parse(c.Now)
					require.NoError(t, err)
				}
				brain.Clock = clock.Fixed(now)
				role := access.Member
				if c.As != "" {
					var err error
					role, err = access.ParseRole(c.As)
					require.NoError(t, err)
				}
				a, err := brain.Ask(context.Background(), core.Asker{Platform: "test", Role: role}, c.Q)
				require.NoError(t, err)
				if problem := c.check(a); problem != "" {
					failed++
					t.Errorf("%s", problem)
				}
			})
		}
		t.Logf("évaluation : %d/%d questions réussies", len(cases)-failed, len(cases))
	})
}
