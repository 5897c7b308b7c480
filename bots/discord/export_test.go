package discord

import "time"

// SetAckWithin lets tests make every answer count as slow.
func SetAckWithin(b *Bot, d time.Duration) { b.ackWithin = d }
