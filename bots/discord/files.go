package discord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/lianes-cooperation/lianes/internal/charts"
)

// maxAttachmentDescription bounds an attachment's description (its alt
// text) as Discord takes it.
const maxAttachmentDescription = 1024

// chartWithin bounds the drawing and the sending of a chart.
const chartWithin = 30 * time.Second

// chartMessage draws an answer's chart as a Discord message: the picture
// /observatoire and `lianes ask --chart` draw (charts.Load, then PNG),
// attached as <name>.png with the chart's French description as its alt
// text, and shown in an embed titled like the chart (attachment://<name>.png).
func (b *Bot) chartMessage(ctx context.Context, name string) (Message, *discordgo.File, error) {
	c, err := charts.Load(ctx, b.brain.Services.Observatory, name)
	if err != nil {
		return nil, nil, err
	}
	raw, err := c.PNG()
	if err != nil {
		return nil, nil, err
	}
	file := c.Name + ".png"
	msg := Message{
		"embeds": []any{map[string]any{"title": truncate(c.Title, maxEmbedTitle), "color": embedColor,
			"image": map[string]any{"url": "attachment://" + file}}},
		"attachments":      []any{map[string]any{"id": 0, "filename": file, "description": truncate(c.Alt, maxAttachmentDescription)}},
		"allowed_mentions": map[string]any{"parse": []string{}},
	}
	return msg, &discordgo.File{Name: file, ContentType: "image/png", Reader: bytes.NewReader(raw)}, nil
}

// sendChart posts the chart an answer names after its text, as a message of
// its own: an interaction's follow-up (path is the interaction's webhook) or
// a message in a channel; extra adds to the message (a reply's
// message_reference). A failure is logged, the text already stands, and a
// short note tells the conversation where the chart is.
func (b *Bot) sendChart(ctx context.Context, chart, path, bucket string, extra Message) {
	if chart == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), chartWithin)
	defer cancel()
	msg, file, err := b.chartMessage(ctx, chart)
	if err == nil {
		for k, v := range extra {
			msg[k] = v
		}
		err = b.restFiles(http.MethodPost, path, msg, []*discordgo.File{file}, bucket)
	}
	if err == nil {
		return
	}
	b.log.ErrorContext(ctx, "discord: graphique non envoyé, la réponse reste", "graphique", chart, "error", err)
	note := chartNote(b.brain.BaseURL)
	for k, v := range extra {
		note[k] = v
	}
	if err := b.rest(http.MethodPost, path, note, bucket); err != nil {
		b.log.ErrorContext(ctx, "discord: envoi impossible", "error", err)
	}
}

// followChart posts an interaction's chart as a follow-up message, once the
// interaction is answered.
func (b *Bot) followChart(ctx context.Context, i *discordgo.Interaction, chart string) {
	b.sendChart(ctx, chart, discordgo.EndpointWebhookToken(b.cfg.AppID, i.Token),
		discordgo.EndpointWebhookToken(b.cfg.AppID, i.Token), nil)
}

// chartLater posts an interaction's chart in the background, after the
// response written to w has left: a follow-up needs the interaction
// answered first. Discord refuses a file in the HTTP response itself.
func (b *Bot) chartLater(ctx context.Context, w http.ResponseWriter, i *discordgo.Interaction, chart string) {
	if chart == "" {
		return
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		b.followChart(ctx, i, chart)
	}()
}

// chartNote is what the conversation is told when the chart could not be
// posted: the figures are in the answer, the chart on the observatory's page.
func chartNote(baseURL string) Message {
	text := "Le graphique n'a pas pu être joint ; les chiffres de la réponse restent valables."
	if baseURL != "" {
		text += " Il est sur la page de l'observatoire : " + baseURL + "/observatoire"
	}
	return Message{"content": text, "allowed_mentions": map[string]any{"parse": []string{}}}
}

// restFiles sends a message with files as multipart/form-data (discordgo's
// payload_json and files[n]), with rest's handling of rate limits: one retry
// scheduled after retry_after, in the background, up to three attempts.
func (b *Bot) restFiles(method, path string, payload Message, files []*discordgo.File, bucket string) error {
	contentType, body, err := discordgo.MultipartBodyWithJSON(payload, files)
	if err != nil {
		return err
	}
	return b.rawAttempt(method, path, contentType, body, bucket, 1)
}

func (b *Bot) rawAttempt(method, path, contentType string, body []byte, bucket string, attempt int) error {
	_, err := b.session.RequestRaw(method, path, contentType, body, bucket, 0)
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && attempt < maxAttempts {
		b.log.Warn("discord: limite de débit, nouvel essai planifié", "dans", rl.RetryAfter.String(), "essai", attempt+1)
		b.wg.Add(1)
		time.AfterFunc(rl.RetryAfter, func() {
			defer b.wg.Done()
			if err := b.rawAttempt(method, path, contentType, body, bucket, attempt+1); err != nil {
				b.log.Error("discord: graphique non envoyé", "error", err)
			}
		})
		return nil
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		// The URL of an interaction's follow-up holds its token.
		return fmt.Errorf("discord: %s: %w", method, uerr.Err)
	}
	return err
}
