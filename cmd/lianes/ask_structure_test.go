package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// `lianes ask --structure ID` asks as a member of the structure: "quels
// appels pour nous ?" is answered from its profile, and says so.
func TestAskForAStructure(t *testing.T) {
	for _, kind := range dbtest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			database := dbtest.URL(t, kind)
			_, errOut, code := lianes(t, "--database", database, "seed", "--demo")
			require.Zero(t, code, errOut)
			bdb, err := db.Open(context.Background(), database)
			require.NoError(t, err)
			var id int64
			require.NoError(t, bdb.NewSelect().TableExpr("structures").Column("id").Where("name = ?", "Ca vient du coeur").
				Scan(context.Background(), &id))
			require.NoError(t, bdb.Close())

			out, errOut, code := lianes(t, "--database", database, "ask", "--now", "2021-01-04", "--structure", fmt.Sprint(id),
				"--format", "json", "quels appels pour nous ?")
			require.Zero(t, code, errOut)
			var answer struct {
				Intent     string   `json:"intent"`
				Title      string   `json:"title"`
				Understood []string `json:"understood"`
				Items      []struct {
					Title, Detail string
				} `json:"items"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &answer))
			require.Equal(t, "pour_nous", answer.Intent)
			require.Equal(t, "Pour Ca vient du coeur : les appels à projets ouverts qui vous correspondent", answer.Title)
			require.Equal(t, []string{"profil : Ca vient du coeur"}, answer.Understood)
			require.Equal(t, "Appel à projets Récital", answer.Items[0].Title)
			require.Equal(t, "ouvert aux associations ; appel régional, pour les structures des Hauts-de-France ; date limite non communiquée",
				answer.Items[0].Detail)

			out, _, code = lianes(t, "--database", database, "ask", "--now", "2021-01-04", "quels appels pour nous ?")
			require.Zero(t, code)
			require.Contains(t, out, "De quelle structure êtes-vous ?")

			_, errOut, code = lianes(t, "--database", database, "ask", "--structure", "999999", "quels appels pour nous ?")
			require.NotZero(t, code)
			require.Contains(t, errOut, "--structure : aucune structure n° 999999")
		})
	}
}
