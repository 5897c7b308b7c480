package chatfake_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/chatfake"
)

func TestSlackFakeReceivesAnUploadInThreeSteps(t *testing.T) {
	fake := chatfake.NewSlack(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL+"/"))
	data := []byte("\x89PNG not really")
	file, err := api.UploadFileContext(context.Background(), slack.UploadFileParameters{Filename: "pays.png",
		FileSize: len(data), Reader: bytes.NewReader(data), Title: "Pays d'action", AltTxt: "Nombre de structures",
		Channel: "C1", ThreadTimestamp: "1700000000.000100"})
	require.NoError(t, err)
	require.Equal(t, "Pays d'action", file.Title)
	require.Equal(t, []chatfake.Upload{{Channel: "C1", Thread: "1700000000.000100", Filename: "pays.png",
		Title: "Pays d'action", Alt: "Nombre de structures", Data: data}}, fake.Files.Uploads())

	fake.Files.Fail("missing_scope")
	_, err = api.UploadFileContext(context.Background(), slack.UploadFileParameters{Filename: "pays.png",
		FileSize: len(data), Reader: bytes.NewReader(data), Channel: "C1"})
	require.ErrorContains(t, err, "missing_scope")
	require.Len(t, fake.Files.Uploads(), 1)
	require.Equal(t, 4, fake.Files.Calls(), "three steps, then one refused")
}

func TestDiscordFakeKeepsAMessagesFiles(t *testing.T) {
	fake := chatfake.NewDiscord(t, "APP")
	payload := map[string]any{"content": "", "embeds": []any{map[string]any{"title": "Pays d'action"}},
		"attachments":      []any{map[string]any{"id": 0, "filename": "pays.png", "description": "Nombre de structures"}},
		"allowed_mentions": map[string]any{"parse": []string{}}}
	contentType, body, err := discordgo.MultipartBodyWithJSON(payload, []*discordgo.File{{Name: "pays.png",
		ContentType: "image/png", Reader: bytes.NewReader([]byte("png"))}})
	require.NoError(t, err)
	for _, path := range []string{"/api/v9/channels/C1/messages", "/api/v9/webhooks/APP/tok"} {
		resp, err := http.Post(fake.URL+path, contentType, bytes.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	require.Len(t, fake.Messages("C1"), 1, "a message with files is a message")
	require.False(t, fake.Messages("C1")[0].MayPing)
	uploads := fake.Uploads()
	require.Len(t, uploads, 2)
	require.Equal(t, "C1", uploads[0].Channel)
	require.Equal(t, "webhook", uploads[1].Channel)
	for _, up := range uploads {
		require.Equal(t, "pays.png", up.Filename)
		require.Equal(t, "Pays d'action", up.Title)
		require.Equal(t, "Nombre de structures", up.Alt)
		require.Equal(t, []byte("png"), up.Data)
	}
}
