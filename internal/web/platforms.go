package web

import (
	"sync"
	"time"
)

// States of a chat platform in the health report.
const (
	PlatformConfigured = "configuré"          // HTTP endpoint mounted, or posting only
	PlatformConnecting = "connexion en cours" // Socket Mode or gateway not connected yet
	PlatformConnected  = "connecté"           // Socket Mode or gateway connected
	PlatformFailing    = "en échec"           // the connection dropped, or the last post failed
)

// PlatformState is what /healthz says of one platform. Reason is a fixed
// French sentence, never a platform's raw error, which may quote a URL.
type PlatformState struct {
	State  string    `json:"state"`
	Reason string    `json:"reason,omitempty"`
	Since  time.Time `json:"since"`
}

// Platforms holds the state of each configured chat platform, told by the
// bots and the announcement sender. The zero value is ready; a nil one
// reports nothing.
type Platforms struct {
	mu     sync.Mutex
	states map[string]PlatformState
}

// Set records a platform's state; Since changes only with the state.
func (p *Platforms) Set(platform, state, reason string, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.states == nil {
		p.states = map[string]PlatformState{}
	}
	old, ok := p.states[platform]
	if ok && old.State == state && old.Reason == reason {
		return
	}
	p.states[platform] = PlatformState{State: state, Reason: reason, Since: now}
}

// Get returns a platform's state.
func (p *Platforms) Get(platform string) (PlatformState, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.states[platform]
	return s, ok
}

// report copies the states for the health answer.
func (p *Platforms) report() map[string]PlatformState {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.states) == 0 {
		return nil
	}
	out := make(map[string]PlatformState, len(p.states))
	for k, v := range p.states {
		out[k] = v
	}
	return out
}
