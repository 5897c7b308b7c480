package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/slack-go/slack"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/charts"
)

// maxAltText bounds a file's alt text as Slack takes it.
const maxAltText = 1000

// uploadWithin bounds the drawing and the three calls of an upload.
const uploadWithin = 30 * time.Second

// sendChart posts the chart an answer names, once its text is posted, in the
// same conversation: the channel and thread of a mention or a direct
// message, the channel of a slash command (a file is never ephemeral on
// Slack: the chart is shared in the channel; the observatory's figures are
// public). The picture is the one /observatoire and `lianes ask --chart`
// draw (charts.Load, then PNG), uploaded in Slack's three steps through
// slack-go (files.getUploadURLExternal, the bytes to the URL it gives,
// files.completeUploadExternal with the channel, the thread and a French
// title and alt text). A failure is logged, the text already stands, and a
// short note says in the conversation where the chart is: through
// responseURL when set (seen only by the person who asked), else in the
// thread.
func (b *Bot) sendChart(ctx context.Context, a core.Answer, responseURL, channel, threadTS string) {
	if a.Chart == "" || channel == "" {
		return
	}
	uploadCtx, cancel := context.WithTimeout(ctx, uploadWithin)
	err := b.uploadChart(uploadCtx, a.Chart, channel, threadTS)
	cancel()
	if err == nil {
		return
	}
	// The note has time of its own, whatever the upload took.
	ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), uploadWithin)
	defer cancel()
	attrs := []any{"graphique", a.Chart, "channel", channel, "error", err}
	var resp slack.SlackErrorResponse
	if errors.As(err, &resp) && resp.Err == "missing_scope" {
		attrs = append(attrs, "scope", "files:write")
	}
	b.log.ErrorContext(ctx, "slack: graphique non envoyé, la réponse reste", attrs...)
	b.deliver(ctx, chartNote(b.brain.BaseURL), responseURL, channel, threadTS)
}

// uploadChart draws a chart and uploads it.
func (b *Bot) uploadChart(ctx context.Context, name, channel, threadTS string) error {
	c, err := charts.Load(ctx, b.brain.Services.Observatory, name)
	if err != nil {
		return err
	}
	raw, err := c.PNG()
	if err != nil {
		return err
	}
	_, err = b.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: c.Name + ".png", FileSize: len(raw), Reader: bytes.NewReader(raw),
		Title: c.Title, AltTxt: truncate(c.Alt, maxAltText),
		Channel: channel, ThreadTimestamp: threadTS,
	})
	var uerr *url.Error
	if errors.As(err, &uerr) {
		// The upload URL Slack gives is a capability: kept out of the log.
		return fmt.Errorf("envoi du fichier : %w", uerr.Err)
	}
	return err
}

// chartNote is what the conversation is told when the chart could not be
// posted: the figures are in the answer, the chart on the observatory's page.
func chartNote(baseURL string) core.Answer {
	a := core.Answer{Intent: "graphique", Title: "Le graphique n'a pas pu être joint", Items: []core.Item{}}
	if baseURL == "" {
		a.Lines = []string{"Les chiffres de la réponse restent valables ; réessayez plus tard pour le graphique."}
		return a
	}
	a.Lines = []string{"Les chiffres de la réponse restent valables ; le graphique est sur la page de l'observatoire."}
	a.Items = []core.Item{{Kind: "page", Title: "L'observatoire du réseau", Link: baseURL + "/observatoire"}}
	return a
}

// chartLater posts a slash command's chart in the background, once its
// answer is the command's response.
func (b *Bot) chartLater(a core.Answer, responseURL, channel string) {
	if a.Chart == "" {
		return
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		b.sendChart(context.Background(), a, responseURL, channel, "")
	}()
}
