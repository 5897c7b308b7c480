package chatfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Upload is a file a fake received: on Slack, shared by
// files.completeUploadExternal; on Discord, attached to a message.
type Upload struct {
	// Channel is where the file was shared: Slack's channel_id, or on Discord
	// the channel or "webhook" for an interaction's follow-up.
	Channel string
	// Thread is Slack's thread_ts ("" for the channel itself).
	Thread   string
	Filename string
	// Title is Slack's title of the file; on Discord, the embed's title.
	Title string
	// Alt is Slack's alt_txt; on Discord, the attachment's description.
	Alt  string
	Data []byte
	// Payload is Discord's payload_json.
	Payload map[string]any
}

// SlackFiles fakes Slack's external upload, in three calls: files.getUploadURLExternal
// gives an upload URL on the fake's own server, the bytes are posted there,
// and files.completeUploadExternal shares the file in a channel or thread.
// It serves those three paths: NewSlack mounts it, and a test's own fake of
// the Web API mounts it with Register.
type SlackFiles struct {
	mu      sync.Mutex
	seq     int
	pending map[string]*Upload // by file id, until completed
	sizes   map[string]int     // the length announced for each file id
	uploads []Upload
	calls   int
	fail    string
}

// NewSlackFiles returns an empty fake of Slack's external upload.
func NewSlackFiles() *SlackFiles {
	return &SlackFiles{pending: map[string]*Upload{}, sizes: map[string]int{}}
}

// Register mounts the upload's paths on a test's fake of the Web API served
// at its root.
func (f *SlackFiles) Register(mux *http.ServeMux) {
	mux.Handle("/files.getUploadURLExternal", f)
	mux.Handle("/files.completeUploadExternal", f)
	mux.Handle("/upload/", f)
}

// Uploads returns the files shared, oldest first.
func (f *SlackFiles) Uploads() []Upload {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Upload(nil), f.uploads...)
}

// Calls counts the requests of the upload flow received, failed or not.
func (f *SlackFiles) Calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// Fail makes files.getUploadURLExternal answer Slack's error code (such as
// "missing_scope"); "" lets uploads through again.
func (f *SlackFiles) Fail(code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = code
}

// ServeHTTP answers the three steps of the upload.
func (f *SlackFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls++
	fail := f.fail
	f.mu.Unlock()
	path := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	if strings.Contains(r.URL.Path, "/upload/") {
		f.receive(w, r, path)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch path {
	case "files.getUploadURLExternal":
		if fail != "" {
			fmt.Fprintf(w, `{"ok":false,"error":%q}`, fail)
			return
		}
		size, err := strconv.Atoi(r.FormValue("length"))
		if err != nil || size <= 0 || r.FormValue("filename") == "" {
			fmt.Fprint(w, `{"ok":false,"error":"invalid_arguments"}`)
			return
		}
		f.mu.Lock()
		f.seq++
		id := fmt.Sprintf("F%04d", f.seq)
		f.pending[id] = &Upload{Filename: r.FormValue("filename"), Alt: r.FormValue("alt_txt")}
		f.sizes[id] = size
		f.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "file_id": id,
			"upload_url": "http://" + r.Host + "/upload/" + id})
	case "files.completeUploadExternal":
		var files []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		}
		if err := json.Unmarshal([]byte(r.FormValue("files")), &files); err != nil || len(files) == 0 {
			fmt.Fprint(w, `{"ok":false,"error":"invalid_arguments"}`)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		var done []map[string]string
		for _, file := range files {
			up := f.pending[file.ID]
			if up == nil || up.Data == nil {
				fmt.Fprint(w, `{"ok":false,"error":"file_not_found"}`)
				return
			}
			if len(up.Data) != f.sizes[file.ID] {
				fmt.Fprint(w, `{"ok":false,"error":"file_upload_size_mismatch"}`)
				return
			}
			up.Title, up.Channel, up.Thread = file.Title, r.FormValue("channel_id"), r.FormValue("thread_ts")
			f.uploads = append(f.uploads, *up)
			delete(f.pending, file.ID)
			done = append(done, map[string]string{"id": file.ID, "title": file.Title})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "files": done})
	default:
		fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
	}
}

// receive keeps the bytes posted to an upload URL, sent as Slack takes
// them: raw, or as the "file" part of a multipart form (slack-go's way).
func (f *SlackFiles) receive(w http.ResponseWriter, r *http.Request, id string) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST attendu", http.StatusMethodNotAllowed)
		return
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	data := raw
	if media, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); media == "multipart/form-data" {
		data = nil
		mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			if part.FormName() == "file" {
				data, _ = io.ReadAll(part)
			}
		}
	}
	f.mu.Lock()
	up := f.pending[id]
	if up != nil && data != nil {
		up.Data = data
	}
	f.mu.Unlock()
	if up == nil || data == nil {
		http.Error(w, "fichier inconnu", http.StatusNotFound)
		return
	}
	fmt.Fprintf(w, "OK - %d", len(data))
}

// DiscordFile is a file attached to a Discord message.
type DiscordFile struct {
	Field, Filename, ContentType string
	Data                         []byte
}

// ParseDiscordMultipart reads a Discord message sent as multipart/form-data:
// its payload_json, and the files (files[0], files[1]…) in order.
func ParseDiscordMultipart(contentType string, body []byte) (map[string]any, []DiscordFile, error) {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil || media != "multipart/form-data" {
		return nil, nil, fmt.Errorf("chatfake: not multipart/form-data: %q", contentType)
	}
	var payload map[string]any
	var files []DiscordFile
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		raw, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, err
		}
		switch name := part.FormName(); {
		case name == "payload_json":
			if err := json.Unmarshal(raw, &payload); err != nil {
				return nil, nil, fmt.Errorf("chatfake: payload_json: %w", err)
			}
		case strings.HasPrefix(name, "files["):
			files = append(files, DiscordFile{Field: name, Filename: part.FileName(),
				ContentType: part.Header.Get("Content-Type"), Data: raw})
		}
	}
	if payload == nil {
		return nil, nil, fmt.Errorf("chatfake: no payload_json")
	}
	return payload, files, nil
}

// DiscordUploads turns a multipart message's files into uploads, each with
// the description its payload's attachments give it and the first embed's
// title.
func DiscordUploads(channel string, payload map[string]any, files []DiscordFile) []Upload {
	described := map[string]string{}
	if atts, ok := payload["attachments"].([]any); ok {
		for _, a := range atts {
			if m, ok := a.(map[string]any); ok {
				name, _ := m["filename"].(string)
				described[name], _ = m["description"].(string)
			}
		}
	}
	title := ""
	if embeds, ok := payload["embeds"].([]any); ok && len(embeds) > 0 {
		if e, ok := embeds[0].(map[string]any); ok {
			title, _ = e["title"].(string)
		}
	}
	var out []Upload
	for _, file := range files {
		out = append(out, Upload{Channel: channel, Filename: file.Filename, Title: title, Alt: described[file.Filename],
			Data: file.Data, Payload: payload})
	}
	return out
}
