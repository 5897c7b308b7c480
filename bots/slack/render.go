package slack

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/lianes-cooperation/lianes/bots/core"
)

// Slack's limits for a message.
const (
	maxBlocks       = 50
	maxSectionText  = 3000
	maxHeaderText   = 150
	maxButtonValue  = 2000
	maxFallbackText = 3000
)

// escape makes text safe for mrkdwn: "&", "<" and ">" are Slack's markup, so
// escaping them means neither the data nor the user can produce a link, a
// mention or a channel ping.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Render turns an answer into Block Kit: a header, the lines, one section per
// record with its link and date, and a "voir plus" button when there is more.
// The fallback text is what notifications show.
func Render(a core.Answer) ([]slack.Block, string) {
	blocks := []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, truncate(a.Title, maxHeaderText), false, false))}
	if len(a.Lines) > 0 {
		text := escape(strings.Join(a.Lines, "\n"))
		blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, truncate(text, maxSectionText), false, true), nil, nil))
	}
	for _, it := range a.Items {
		if len(blocks) >= maxBlocks-2 {
			break
		}
		title := "*" + escape(it.Title) + "*"
		if it.Link != "" {
			title = fmt.Sprintf("*<%s|%s>*", it.Link, escape(it.Title))
		}
		var details []string
		if it.Date != "" {
			details = append(details, ":calendar: "+escape(it.Date))
		}
		if it.Detail != "" {
			details = append(details, escape(it.Detail))
		}
		text := title
		if len(details) > 0 {
			text += "\n" + strings.Join(details, " · ")
		}
		blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, truncate(text, maxSectionText), false, true), nil, nil))
	}
	if a.Total > len(a.Items) {
		blocks = append(blocks, slack.NewContextBlock("", slack.NewTextBlockObject(slack.PlainTextType,
			fmt.Sprintf("%d résultat(s) en tout", a.Total), false, false)))
	}
	var buttons []slack.BlockElement
	for i, act := range a.Actions {
		if utf8.RuneCountInString(act.Command) > maxButtonValue {
			continue
		}
		// Slack wants each button of a block named apart: voir_plus,
		// voir_plus_1… all ask their command the same way.
		id := "voir_plus"
		if i > 0 {
			id = fmt.Sprintf("voir_plus_%d", i)
		}
		buttons = append(buttons, slack.NewButtonBlockElement(id, act.Command,
			slack.NewTextBlockObject(slack.PlainTextType, act.Label, false, false)))
	}
	if len(buttons) > 0 && len(blocks) < maxBlocks {
		blocks = append(blocks, slack.NewActionBlock("actions", buttons...))
	}
	fallback := a.Title
	for _, it := range a.Items {
		fallback += "\n• " + it.Title
	}
	return blocks, truncate(fallback, maxFallbackText)
}
