package discord_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/bots/core"
	discordbot "github.com/lianes-cooperation/lianes/bots/discord"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// FuzzCommandText sends any text, signed, as the option of a member's
// search and of the staff's new funding call: the bot answers 200 with an
// interaction response, never fails or panics.
func FuzzCommandText(f *testing.F) {
	for _, seed := range []string{"sénégal", "", "\x00", "Fonds eau ; date limite 45/13/2021 ; thèmes eau", "@everyone <@&1>",
		strings.Repeat("x", 5000), "\xff", "eau santé jeunesse mali " + strings.Repeat("mot ", 200)} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	bdb := dbtest.Open(f, "sqlite")
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(f, err)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(f, err)
	brain := core.New(domain.New(bdb, demoClock), demoClock, "https://lianes.test")
	bot, err := discordbot.New(discordbot.Config{BotToken: "token", AppID: "APP", PublicKey: hex.EncodeToString(pub),
		APIURL: "http://127.0.0.1:1", StaffRoles: []string{"RSTAFF"}}, brain, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(f, err)
	h := bot.Handler()
	f.Fuzz(func(t *testing.T, text string, staff bool) {
		body := command("lianes", "cherche", nil, [2]string{"texte", "@texte@"})
		if staff {
			body = command(discordbot.StaffCommand, "appel", []string{"RSTAFF"}, [2]string{"texte", "@texte@"})
		}
		value, _ := json.Marshal(text) // as Discord writes it: JSON, invalid UTF-8 replaced
		body = strings.Replace(body, `"@texte@"`, string(value), 1)
		stamp := strconv.FormatInt(time.Now().Unix(), 10)
		req := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader([]byte(body)))
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(stamp+body))))
		req.Header.Set("X-Signature-Timestamp", stamp)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var out struct{ Type int }
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
		require.Contains(t, []int{4, 5}, out.Type)
	})
	bot.Wait()
}
