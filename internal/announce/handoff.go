package announce

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// KindHandoff is a member's question passed on to the staff's channel.
const KindHandoff = "handoff"

// maxHandoff bounds the question quoted to the staff.
const maxHandoff = 1000

// Handoff passes a question the bot could not answer to the staff's
// channel, through the same outbox as the announcements: it reaches the
// channel once, whichever replica sends it. Anyone may hand a question
// over; the text says who asked and where, so that the staff can answer.
func (s *Service) Handoff(ctx context.Context, to Target, question, asker, where string) (*Announcement, error) {
	question = strings.TrimSpace(question)
	if question == "" {
		return nil, ErrEmpty
	}
	if to.Platform != Slack && to.Platform != Discord || to.Channel == "" {
		return nil, fmt.Errorf("announce: handoff: canal de l'équipe mal configuré (%s:%s)", to.Platform, to.Channel)
	}
	if utf8.RuneCountInString(question) > maxHandoff {
		question = string([]rune(question)[:maxHandoff]) + "…"
	}
	text := fmt.Sprintf("Question transmise par %s (%s) : « %s »", asker, where, question)
	a := &Announcement{Key: "handoff:" + rand.Text(), Kind: KindHandoff, Text: text, Author: asker}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := enqueue(ctx, tx, s.now(), a, []Target{to})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("announce: handoff: %w", err)
	}
	return a, nil
}
