package discord

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lianes-cooperation/lianes/bots/core"
)

// Discord's limits for a message.
const (
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxFields           = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxEmbedsTotal      = 6000
	maxCustomID         = 100
	embedColor          = 0x1d6b5f
)

// markdown escapes Discord's markdown, so that data and messages render as
// written and cannot format, quote or hide text.
var markdown = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "|", `\|`, ">", `\>`, "[", `\[`, "]", `\]`)

func esc(s string) string { return markdown.Replace(s) }

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Message is a Discord message payload (for an interaction response, a
// follow-up or a channel message). allowed_mentions always has an empty parse
// list, which discordgo's zero value would not send: nothing the bot writes
// can ping @everyone, a role or a user.
type Message map[string]any

// Render turns an answer into one embed and, when there is more, a "voir
// plus" button; within Discord's limits (25 fields, 6 000 characters over the
// embeds).
func Render(a core.Answer) Message {
	embed := map[string]any{"title": truncate(a.Title, maxEmbedTitle), "color": embedColor}
	total := utf8.RuneCountInString(embed["title"].(string))
	if len(a.Lines) > 0 {
		desc := truncate(esc(strings.Join(a.Lines, "\n")), maxEmbedDescription)
		embed["description"] = desc
		total += utf8.RuneCountInString(desc)
	}
	var fields []map[string]any
	for _, it := range a.Items {
		if len(fields) == maxFields {
			break
		}
		name := it.Title
		if it.Date != "" {
			name = it.Date + " — " + name
		}
		name = truncate(esc(name), maxFieldName)
		var value []string
		if it.Detail != "" {
			value = append(value, esc(it.Detail))
		}
		if it.Link != "" {
			value = append(value, fmt.Sprintf("[Voir la fiche](%s)", it.Link))
		}
		if len(value) == 0 {
			value = append(value, "\u200b") // a field needs a value
		}
		v := truncate(strings.Join(value, "\n"), maxFieldValue)
		if total+utf8.RuneCountInString(name)+utf8.RuneCountInString(v) > maxEmbedsTotal-100 {
			break
		}
		total += utf8.RuneCountInString(name) + utf8.RuneCountInString(v)
		fields = append(fields, map[string]any{"name": name, "value": v})
	}
	if len(fields) > 0 {
		embed["fields"] = fields
	}
	if a.Total > len(fields) && a.Total > 0 {
		embed["footer"] = map[string]any{"text": fmt.Sprintf("%d résultat(s) en tout", a.Total)}
	}
	msg := Message{"content": "", "embeds": []any{embed}, "allowed_mentions": map[string]any{"parse": []string{}}}
	var buttons []any
	for _, act := range a.Actions {
		id := "voir_plus:" + act.Command
		if len(id) > maxCustomID {
			continue
		}
		buttons = append(buttons, map[string]any{"type": 2, "style": 2, "label": act.Label, "custom_id": id})
	}
	if len(buttons) > 0 {
		msg["components"] = []any{map[string]any{"type": 1, "components": buttons}}
	} else {
		msg["components"] = []any{}
	}
	return msg
}
