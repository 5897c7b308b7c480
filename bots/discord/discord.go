// Package discord is the Discord transport of the bot: application commands
// (/lianes and /lianes-staff) over the HTTP interactions endpoint or the
// gateway, mentions and direct messages in gateway mode, answers from the
// bot's brain rendered as embeds.
package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/replay"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// Config is the Discord application's settings; the token is never logged.
type Config struct {
	BotToken   string
	AppID      string
	PublicKey  string // hex, for the HTTP interactions endpoint
	APIURL     string // another base URL for every REST call (a proxy, a local fake)
	Gateway    bool   // answer over the gateway (websocket) instead of HTTP
	StaffRoles []string
	AdminRoles []string
	StaffUsers []string
	AdminUsers []string
}

func list(name string) []string {
	var out []string
	for _, v := range strings.Split(os.Getenv(name), ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// ConfigFromEnv reads LIANES_DISCORD_* variables.
func ConfigFromEnv() Config {
	return Config{
		BotToken: os.Getenv("LIANES_DISCORD_BOT_TOKEN"), AppID: os.Getenv("LIANES_DISCORD_APP_ID"),
		PublicKey: os.Getenv("LIANES_DISCORD_PUBLIC_KEY"), APIURL: os.Getenv("LIANES_DISCORD_API_URL"),
		Gateway:    os.Getenv("LIANES_DISCORD_GATEWAY") == "true",
		StaffRoles: list("LIANES_DISCORD_STAFF_ROLES"), AdminRoles: list("LIANES_DISCORD_ADMIN_ROLES"),
		StaffUsers: list("LIANES_DISCORD_STAFF_USERS"), AdminUsers: list("LIANES_DISCORD_ADMIN_USERS"),
	}
}

// Enabled reports whether Discord is configured.
func (c Config) Enabled() bool { return c.BotToken != "" && c.AppID != "" }

// Bot answers Discord.
type Bot struct {
	cfg     Config
	brain   *core.Brain
	session *discordgo.Session
	key     ed25519.PublicKey
	log     *slog.Logger
	// ackWithin is how long an answer may take before Discord gets a deferred
	// response and the answer follows (Discord waits 3 seconds).
	ackWithin time.Duration
	// freshness bounds the age of a signed request, which discordgo's
	// VerifyInteraction does not check.
	freshness time.Duration
	// Replays records the interactions and messages answered, by their
	// Discord id, so that one sent twice (replayed within the freshness
	// window, or delivered to two replicas' gateways) runs once:
	// replay.Guard keeps them in the database; New starts with this
	// process's memory.
	Replays replay.Recorder
	wg      sync.WaitGroup
	// OnConnection, when set, is told when the gateway connects (true) and
	// disconnects (false), for the health report.
	OnConnection func(connected bool)
}

// New returns a bot over the brain.
func New(cfg Config, brain *core.Brain, log *slog.Logger) (*Bot, error) {
	var key ed25519.PublicKey
	if cfg.PublicKey != "" {
		raw, err := hex.DecodeString(cfg.PublicKey)
		if err != nil || len(raw) != ed25519.PublicKeySize {
			return nil, errors.New("LIANES_DISCORD_PUBLIC_KEY : clé publique invalide, attendu 64 caractères hexadécimaux")
		}
		key = raw
	}
	session, err := discordgo.New("Bot " + cfg.BotToken)
	if err != nil {
		return nil, fmt.Errorf("discord: session: %w", err)
	}
	// discordgo sleeps on a 429 and retries in the caller's goroutine: the
	// bot schedules its own single retry instead (see rest).
	session.ShouldRetryOnRateLimit = false
	session.MaxRestRetries = 1
	transport := http.DefaultTransport
	if cfg.APIURL != "" {
		base, err := url.Parse(strings.TrimRight(cfg.APIURL, "/"))
		if err != nil || base.Host == "" {
			return nil, fmt.Errorf("LIANES_DISCORD_API_URL : adresse « %s » invalide", cfg.APIURL)
		}
		transport = rewriteHost{base: base, next: transport}
	}
	session.Client = &http.Client{Timeout: 20 * time.Second, Transport: transport}
	return &Bot{cfg: cfg, brain: brain, session: session, key: key, log: log,
		ackWithin: 2500 * time.Millisecond, freshness: 5 * time.Minute, Replays: replay.NewMemory()}, nil
}

// rewriteHost sends the requests discordgo builds for discord.com to another
// base URL: discordgo's endpoints are package variables, fixed at start-up.
type rewriteHost struct {
	base *url.URL
	next http.RoundTripper
}

// RoundTrip rewrites the request's scheme and host.
func (r rewriteHost) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == "discord.com" || strings.HasSuffix(req.URL.Host, ".discord.com") {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host = r.base.Scheme, r.base.Host
		req.URL.Path = r.base.Path + req.URL.Path
		req.Host = r.base.Host
	}
	return r.next.RoundTrip(req)
}

// Wait blocks until the answers in flight are sent; for a graceful stop.
func (b *Bot) Wait() { b.wg.Wait() }

// role maps a Discord member to a role: configured users and roles are
// staff or admin; everyone else is a member.
func (b *Bot) role(userID string, roles []string) access.Role {
	has := func(ids, want []string) bool {
		for _, id := range ids {
			for _, w := range want {
				if id == w {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has([]string{userID}, b.cfg.AdminUsers) || has(roles, b.cfg.AdminRoles):
		return access.Admin
	case has([]string{userID}, b.cfg.StaffUsers) || has(roles, b.cfg.StaffRoles):
		return access.Staff
	}
	return access.Member
}

func (b *Bot) asker(i *discordgo.Interaction) core.Asker {
	// An interaction outside a guild is a direct message with the bot.
	// A conversation is a person's messages in one channel: a follow-up
	// ("et au Burkina ?") reads their question before it.
	a := core.Asker{Platform: "discord", Role: access.Member, Channel: i.ChannelID, Direct: i.GuildID == "", Thread: i.ChannelID,
		Link: channelLink(i.GuildID, i.ChannelID)}
	switch {
	case i.Member != nil && i.Member.User != nil:
		a.ID, a.Name, a.Role = i.Member.User.ID, i.Member.User.Username, b.role(i.Member.User.ID, i.Member.Roles)
	case i.User != nil:
		a.ID, a.Name, a.Role = i.User.ID, i.User.Username, b.role(i.User.ID, nil)
	}
	return a
}

// maxBody bounds what Discord may send.
const maxBody = 1 << 20

// Handler serves the HTTP interactions endpoint.
func (b *Bot) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /discord/interactions", b.interactions)
	return mux
}

// interactions verifies a request's Ed25519 signature and its age before
// anything is parsed, then answers it.
func (b *Bot) interactions(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "requête trop grande", http.StatusRequestEntityTooLarge)
		return
	}
	stamp, err := strconv.ParseInt(r.Header.Get("X-Signature-Timestamp"), 10, 64)
	fresh := err == nil && time.Since(time.Unix(stamp, 0)).Abs() <= b.freshness
	r.Body = io.NopCloser(bytes.NewReader(body))
	if b.key == nil || !fresh || !discordgo.VerifyInteraction(r, b.key) {
		b.log.WarnContext(r.Context(), "discord: requête refusée", "frais", fresh)
		http.Error(w, "signature invalide", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "interaction illisible", http.StatusBadRequest)
		return
	}
	if runs(i.Type) {
		first, err := b.first(r.Context(), "interaction:"+i.ID)
		if err != nil {
			http.Error(w, "service momentanément indisponible", http.StatusServiceUnavailable)
			return
		}
		if !first {
			writeJSON(w, map[string]any{"type": responseMessage, "data": ephemeral("Cette interaction a déjà été traitée.")})
			return
		}
	}
	resp, chart := b.respond(r.Context(), &i)
	writeJSON(w, resp)
	b.chartLater(r.Context(), w, &i, chart)
}

// runs reports whether an interaction acts (a command, a button), as
// opposed to a ping or an autocompletion, which may be answered again.
func runs(t discordgo.InteractionType) bool {
	return t == discordgo.InteractionApplicationCommand || t == discordgo.InteractionMessageComponent
}

// replayWindow is how long an id is remembered: past the freshness window a
// signed request is refused anyway, and the gateway redelivers within
// minutes.
const replayWindow = 10 * time.Minute

// first records an interaction or message id and reports whether it is new;
// a failure to record is logged, and the request refused rather than run
// twice.
func (b *Bot) first(ctx context.Context, key string) (bool, error) {
	first, err := b.Replays.First(ctx, "discord", key, time.Now(), replayWindow)
	if err != nil {
		b.log.ErrorContext(ctx, "discord: relecture impossible à vérifier", "error", err)
	}
	return first, err
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Interaction response types.
const (
	responsePong     = 1
	responseMessage  = 4
	responseDeferred = 5
	responseChoices  = 8
	flagEphemeral    = 64
)

// respond returns the immediate response to an interaction: the answer when
// the brain is quick, else a deferred response completed by a follow-up.
// With a quick answer comes the name of its chart, for the caller to post
// once the response is sent (followChart); a deferred answer posts its own.
func (b *Bot) respond(ctx context.Context, i *discordgo.Interaction) (map[string]any, string) {
	switch i.Type {
	case discordgo.InteractionPing:
		return map[string]any{"type": responsePong}, ""
	case discordgo.InteractionApplicationCommandAutocomplete:
		return map[string]any{"type": responseChoices, "data": map[string]any{"choices": b.autocomplete(ctx, i)}}, ""
	case discordgo.InteractionApplicationCommand, discordgo.InteractionMessageComponent:
	default:
		return map[string]any{"type": responseMessage, "data": ephemeral("Je ne sais pas répondre à cette interaction.")}, ""
	}
	asker := b.asker(i)
	text, refusal := b.commandText(i, asker)
	if refusal != nil {
		return map[string]any{"type": responseMessage, "data": refusal}, ""
	}
	done := make(chan Message, 1)
	chart := make(chan string, 1)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		a, err := b.brain.Ask(actx, asker, text)
		if err != nil {
			b.log.ErrorContext(actx, "discord: réponse impossible", "error", err)
			chart <- ""
			done <- ephemeral("Je n'arrive pas à répondre pour le moment ; réessayez dans un instant.")
			return
		}
		chart <- a.Chart
		done <- Render(a)
	}()
	select {
	case msg := <-done:
		return map[string]any{"type": responseMessage, "data": msg}, <-chart
	case <-time.After(b.ackWithin):
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			msg := <-done
			path := discordgo.EndpointWebhookMessage(b.cfg.AppID, i.Token, "@original")
			if err := b.rest(http.MethodPatch, path, msg, discordgo.EndpointWebhookToken(b.cfg.AppID, i.Token)); err != nil {
				b.log.ErrorContext(ctx, "discord: réponse différée impossible", "error", err)
				return
			}
			b.followChart(ctx, i, <-chart)
		}()
		return map[string]any{"type": responseDeferred}, ""
	}
}

func ephemeral(text string) Message {
	return Message{"content": text, "flags": flagEphemeral, "allowed_mentions": map[string]any{"parse": []string{}}}
}

// commandText turns a command, its options or a button into the brain's
// words; staff commands are refused to members.
func (b *Bot) commandText(i *discordgo.Interaction, asker core.Asker) (string, Message) {
	if i.Type == discordgo.InteractionMessageComponent {
		data := i.MessageComponentData()
		command, ok := strings.CutPrefix(data.CustomID, "voir_plus:")
		if !ok {
			return "", ephemeral("Ce bouton ne fait plus rien.")
		}
		return command, nil
	}
	data := i.ApplicationCommandData()
	if data.Name == StaffCommand {
		if asker.Role < access.Staff {
			return "", ephemeral("Cette commande est réservée à l'équipe de Lianes coopération. Écrivez « /lianes contact » pour la joindre.")
		}
		return staffText(data), nil
	}
	if len(data.Options) == 0 {
		return "aide", nil
	}
	sub := data.Options[0]
	words := []string{sub.Name}
	if sub.Name == "question" {
		words = nil
	}
	if w, ok := profileWords[sub.Name]; ok {
		words = []string{w}
	}
	for _, o := range sub.Options {
		if s, ok := o.Value.(string); ok {
			words = append(words, b.optionWords(o.Name, s))
		}
	}
	return strings.Join(words, " "), nil
}

// profileWords are the brain's words of the profile subcommands.
var profileWords = map[string]string{"je-suis-de": "je suis de", "qui-suis-je": "qui suis-je", "oublie-moi": "oublie-moi"}

// staffText writes a staff subcommand as the brain's announcement command:
// "annonce <#salon> abonnés:<filtre> <quand> <texte>", "annonce envoyer 12"…
func staffText(data discordgo.ApplicationCommandInteractionData) string {
	if len(data.Options) == 0 {
		return "annonce"
	}
	sub := data.Options[0]
	opts := map[string]string{}
	for _, o := range sub.Options {
		switch v := o.Value.(type) {
		case string:
			opts[o.Name] = v
		case float64:
			opts[o.Name] = strconv.FormatInt(int64(v), 10)
		}
	}
	words := []string{"annonce"}
	switch sub.Name {
	case "annonce":
		if c := opts["salon"]; c != "" {
			words = append(words, "<#"+c+">")
		}
		if f := opts["abonnes"]; f != "" {
			words = append(words, "abonnés:"+strings.Join(strings.Fields(f), ","))
		}
		words = append(words, opts["quand"], opts["texte"])
	case "envoyer", "annuler":
		words = append(words, sub.Name, opts["numero"])
	case "valider", "refuser":
		words = []string{sub.Name, opts["lien"]}
	case "modifier":
		words = append(words, sub.Name, opts["numero"], opts["quand"], opts["texte"])
	case "abonner":
		words = []string{"abonner", opts["filtre"]}
	case "appel", "evenement":
		words = []string{"ajouter", sub.Name, opts["texte"]}
	default:
		words = []string{sub.Name}
	}
	return strings.Join(words, " ")
}

// optionWords turns a chosen code into words the brain reads.
func (b *Bot) optionWords(option, value string) string {
	switch option {
	case "departement":
		return "dans le " + value
	case "theme", "public", "type":
		return strings.ReplaceAll(value, "-", " ")
	}
	return value
}

// autocomplete proposes structure names as the person types.
func (b *Bot) autocomplete(ctx context.Context, i *discordgo.Interaction) []map[string]any {
	data := i.ApplicationCommandData()
	typed := ""
	for _, sub := range data.Options {
		for _, o := range sub.Options {
			if o.Focused {
				typed, _ = o.Value.(string)
			}
		}
	}
	choices := []map[string]any{}
	if strings.TrimSpace(typed) == "" {
		return choices
	}
	hits, err := search.Top(ctx, b.brain.Services.DB, typed, 25, search.KindStructure)
	if err != nil {
		b.log.ErrorContext(ctx, "discord: autocomplétion", "error", err)
		return choices
	}
	structures, err := b.brain.Services.Network.Structures(ctx, search.IDs(hits))
	if err != nil {
		return choices
	}
	for _, h := range hits {
		if s := structures[h.ID]; s != nil {
			name := truncate(s.Name, 100)
			choices = append(choices, map[string]any{"name": name, "value": name})
		}
	}
	return choices
}

// rest sends a REST request. A 429 is honoured: one retry is scheduled after
// Discord's retry_after, in the background, so that nothing waits and nothing
// bursts; a second 429 schedules one more, up to three attempts.
func (b *Bot) rest(method, path string, payload any, bucket string) error {
	return b.restAttempt(method, path, payload, bucket, 1)
}

const maxAttempts = 3

func (b *Bot) restAttempt(method, path string, payload any, bucket string, attempt int) error {
	_, err := b.session.RequestWithBucketID(method, path, payload, bucket)
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && attempt < maxAttempts {
		wait := rl.RetryAfter
		b.log.Warn("discord: limite de débit, nouvel essai planifié", "dans", wait.String(), "essai", attempt+1)
		b.wg.Add(1)
		time.AfterFunc(wait, func() {
			defer b.wg.Done()
			if err := b.restAttempt(method, path, payload, bucket, attempt+1); err != nil {
				b.log.Error("discord: envoi impossible", "error", err)
			}
		})
		return nil
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		// The URL of an interaction's answer holds the interaction's token:
		// an error that may be logged names the method only.
		return fmt.Errorf("discord: %s: %w", method, uerr.Err)
	}
	return err
}

var reMention = regexp.MustCompile(`<@!?\d+>`)

// RunGateway answers over the gateway until ctx ends: commands, and mentions
// of the bot and direct messages as free questions. discordgo reconnects a
// dropped connection by itself.
func (b *Bot) RunGateway(ctx context.Context) error {
	b.session.Identify.Intents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	b.session.AddHandler(func(s *discordgo.Session, ev *discordgo.InteractionCreate) {
		if runs(ev.Type) {
			if first, err := b.first(ctx, "interaction:"+ev.ID); err != nil || !first {
				return // answered by this replica or another
			}
		}
		b.onInteraction(ctx, ev.Interaction)
	})
	b.session.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
		if s.State == nil || s.State.User == nil {
			return
		}
		b.onMessage(ctx, s.State.User.ID, m)
	})
	if b.OnConnection != nil {
		b.session.AddHandler(func(*discordgo.Session, *discordgo.Connect) { b.OnConnection(true) })
		b.session.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { b.OnConnection(false) })
	}
	if err := b.session.Open(); err != nil {
		return fmt.Errorf("discord: gateway: %w", err)
	}
	<-ctx.Done()
	return b.session.Close()
}

// onInteraction answers an interaction received over the gateway, through
// Discord's interaction callback, then posts its chart.
func (b *Bot) onInteraction(ctx context.Context, i *discordgo.Interaction) {
	resp, chart := b.respond(ctx, i)
	if err := b.rest(http.MethodPost, discordgo.EndpointInteractionResponse(i.ID, i.Token), resp,
		discordgo.EndpointInteractionResponse(i.ID, "")); err != nil {
		b.log.Error("discord: réponse impossible", "error", err)
		return
	}
	if chart != "" {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			b.followChart(ctx, i, chart)
		}()
	}
}

// onMessage answers a message received over the gateway when it mentions
// the bot (botID) or is a direct message, in a reply; its chart follows,
// as a reply too.
func (b *Bot) onMessage(ctx context.Context, botID string, m *discordgo.MessageCreate) {
	if m.Author == nil || m.Author.Bot {
		return
	}
	mentioned := false
	for _, u := range m.Mentions {
		if u.ID == botID {
			mentioned = true
		}
	}
	if m.GuildID != "" && !mentioned {
		return
	}
	if first, err := b.first(ctx, "message:"+m.ID); err != nil || !first {
		return // answered by this replica or another
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		var roles []string
		if m.Member != nil {
			roles = m.Member.Roles
		}
		asker := core.Asker{Platform: "discord", ID: m.Author.ID, Name: m.Author.Username, Role: b.role(m.Author.ID, roles),
			Channel: m.ChannelID, Direct: m.GuildID == "", Thread: m.ChannelID, Link: channelLink(m.GuildID, m.ChannelID)}
		a, err := b.brain.Ask(ctx, asker, reMention.ReplaceAllString(m.Content, " "))
		if err != nil {
			b.log.Error("discord: réponse impossible", "error", err)
			return
		}
		msg := Render(a)
		reply := Message{"message_reference": map[string]any{"message_id": m.ID, "fail_if_not_exists": false}}
		msg["message_reference"] = reply["message_reference"]
		if err := b.rest(http.MethodPost, discordgo.EndpointChannelMessages(m.ChannelID), msg,
			discordgo.EndpointChannelMessages(m.ChannelID)); err != nil {
			b.log.Error("discord: envoi impossible", "error", err)
			return
		}
		b.sendChart(ctx, a.Chart, discordgo.EndpointChannelMessages(m.ChannelID), discordgo.EndpointChannelMessages(m.ChannelID), reply)
	}()
}

// StaffCommand is the top-level command of the staff: Discord's
// default_member_permissions applies to whole commands only.
const StaffCommand = "lianes-staff"

// Commands are the application commands, with the choices drawn from the
// reference lists.
func Commands(ref *reference.Lists) []*discordgo.ApplicationCommand {
	choices := func(items [][2]string) []*discordgo.ApplicationCommandOptionChoice {
		var out []*discordgo.ApplicationCommandOptionChoice
		for _, it := range items {
			if len(out) == 25 {
				break
			}
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: truncate(it[1], 100), Value: it[0]})
		}
		return out
	}
	var themes, departments, audiences, types [][2]string
	for _, t := range ref.Themes {
		themes = append(themes, [2]string{t.Code, t.Name})
	}
	for _, d := range ref.Departments {
		departments = append(departments, [2]string{d.Code, d.Name + " (" + d.Code + ")"})
	}
	for _, a := range ref.Audiences {
		audiences = append(audiences, [2]string{a.Code, a.Name})
	}
	for _, t := range ref.ActorTypes {
		types = append(types, [2]string{t.Code, t.Name})
	}
	str := func(name, desc string, required bool, ch [][2]string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name,
			Description: desc, Required: required, Choices: choices(ch)}
	}
	sub := func(name, desc string, options ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: options}
	}
	structureName := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "nom",
		Description: "Nom de la structure", Required: true, Autocomplete: true}
	dmAllowed := true
	staffOnly := int64(discordgo.PermissionManageMessages)
	number := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: "numero",
		Description: "Numéro de l'annonce", Required: true}
	linkNumber := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: "lien",
		Description: "Numéro de la demande (« liens » les montre)", Required: true}
	return []*discordgo.ApplicationCommand{
		{
			Name: "lianes", Description: "Interroger le réseau Lianes coopération", DMPermission: &dmAllowed,
			Options: []*discordgo.ApplicationCommandOption{
				sub("aide", "Ce que le robot sait faire"),
				sub("appels", "Les appels à projets ouverts",
					str("public", "Public éligible", false, audiences), str("theme", "Thème", false, themes)),
				sub("agenda", "Les prochains webinaires, groupes de travail et événements",
					str("theme", "Thème", false, themes), str("public", "Public", false, audiences)),
				sub("cherche", "Chercher dans tout le réseau", str("texte", "Ce que vous cherchez", true, nil)),
				sub("structure", "La fiche d'une structure", structureName),
				sub("projets", "Les projets", str("theme", "Thème", false, themes), str("pays", "Pays", false, nil)),
				sub("qui", "Qui travaille sur un thème, dans un pays ou un département",
					str("theme", "Thème", false, themes), str("departement", "Département", false, departments),
					str("pays", "Pays", false, nil), str("type", "Type d'acteur", false, types)),
				sub("formations", "Les cycles de formation"),
				sub("publications", "Les publications du réseau"),
				sub("stats", "Les chiffres du réseau", str("departement", "Département", false, departments),
					str("type", "Type d'acteur", false, types)),
				sub("contact", "Joindre l'équipe et se faire accompagner"),
				sub("abonner", "En message direct : recevoir vous-même les annonces qui correspondent",
					str("filtre", "Appels, agenda, thèmes, publics, pays…", false, nil)),
				sub("desabonner", "En message direct : ne plus recevoir d'alertes"),
				sub("je-suis-de", "Dire de quelle structure vous êtes (l'équipe valide le lien)", structureName),
				sub("qui-suis-je", "La structure à laquelle votre compte est lié"),
				sub("oublie-moi", "Défaire le lien entre votre compte et une structure"),
				sub("question", "Poser une question libre", str("texte", "Votre question, en français", true, nil)),
			},
		},
		{
			Name: StaffCommand, Description: "Annonces, abonnements et liens des membres (équipe de Lianes coopération)",
			DefaultMemberPermissions: &staffOnly, DMPermission: new(bool),
			Options: []*discordgo.ApplicationCommandOption{
				sub("annonce", "Préparer une annonce (un aperçu est montré avant l'envoi)", str("texte", "Le texte de l'annonce", true, nil),
					&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel, Name: "salon", Description: "Salon de l'annonce"},
					str("abonnes", "Ou : les abonnés d'un filtre, sur Slack et Discord (« eau », « senegal », « tous »)", false, nil),
					str("quand", "Quand l'envoyer : « demain 9h », « lundi 14h », « 2021-03-02T09:00 »", false, nil)),
				sub("envoyer", "Confirmer l'envoi d'une annonce", number),
				sub("modifier", "Modifier une annonce programmée", number, str("quand", "Nouvelle heure d'envoi", false, nil),
					str("texte", "Nouveau texte", false, nil)),
				sub("annuler", "Annuler une annonce programmée", number),
				sub("annonces", "Les dernières annonces et où elles en sont"),
				sub("abonner", "Abonner ce salon aux annonces qui correspondent", str("filtre", "Appels, agenda, thèmes, publics, pays…", false, nil)),
				sub("desabonner", "Désabonner ce salon"),
				sub("abonnements", "Les abonnements des salons"),
				sub("liens", "Les demandes de lien entre membres et structures en attente"),
				sub("valider", "Valider une demande de lien d'un membre à sa structure", linkNumber),
				sub("refuser", "Refuser une demande de lien d'un membre à sa structure", linkNumber),
				sub("appel", "Ajouter un appel à projets (les abonnés concernés en sont avertis)", str("texte",
					"Titre ; date limite 15/03/2021 ; financeur … ; thèmes … ; publics … ; pays … ; lien …", true, nil)),
				sub("evenement", "Ajouter un webinaire, un groupe de travail ou un événement", str("texte",
					"Titre ; type webinaire ; date 12 avril 2021 14h ; thèmes … ; publics … ; lieu … ; en ligne ; lien …", true, nil)),
			},
		},
	}
}

// Register replaces the application's commands with the project's: in a
// guild (instantly, for tests) or globally.
func (b *Bot) Register(ctx context.Context, guildID string) ([]*discordgo.ApplicationCommand, error) {
	ref, err := reference.Load(ctx, b.brain.Services.DB)
	if err != nil {
		return nil, err
	}
	cmds, err := b.session.ApplicationCommandBulkOverwrite(b.cfg.AppID, guildID, Commands(ref))
	if err != nil {
		return nil, fmt.Errorf("discord: enregistrement des commandes : %w", err)
	}
	return cmds, nil
}

// channelLink opens a channel in Discord; a direct message's is under @me.
func channelLink(guild, channel string) string {
	if guild == "" {
		guild = "@me"
	}
	return "https://discord.com/channels/" + guild + "/" + channel
}
