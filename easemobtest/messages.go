package easemobtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/emquota/easemob/internal/catalog"
)

// messagesOps are the operations of sends, broadcasts, streams, files,
// history, recall, modification, conversations, roaming, import,
// reactions, search and translation.
//
// Every send, stream and import stores its messages, which the other ops
// read: history files (gzipped JSON lines behind a signed link the
// emulator serves), recall (within WithRecallWindow or with force; it
// takes the offline copy and the attachment too), edits, reactions,
// search, one-way roaming and conversation deletes. One-to-one messages to
// a registered offline user wait offline (users.GetOfflineMsgCount and
// GetOfflineMsgStatus read them) until the user is online; ROUTE_ONLINE
// ones do not. As with the console options on, features that need
// enabling (recall, edit, roaming, reactions, search, translation,
// broadcasts, attachment lifetime) are on, and REST sends enter
// conversation lists. The emulator knows no group membership here: any
// user may react to and search a group's messages, and a group is in a
// user's conversation list once the user wrote there or was named in a
// targeted message. Translation repeats the text; detection guesses by
// script; search matches keywords as substrings.
var messagesOps = ops{
	catalog.MessagesSendToUsers:            {check: checkSend, serve: sendMessage},
	catalog.MessagesSendToGroups:           {check: checkSend, serve: sendMessage},
	catalog.MessagesSendToGroupMembers:     {check: checkSend, serve: sendMessage},
	catalog.MessagesSendToChatrooms:        {check: checkSend, serve: sendMessage},
	catalog.MessagesSendToChatroomMembers:  {check: checkSend, serve: sendMessage},
	catalog.MessagesBroadcastToChatrooms:   {check: checkBroadcast, serve: broadcast},
	catalog.MessagesBroadcastToAllUsers:    {check: checkBroadcast, serve: broadcast},
	catalog.MessagesBroadcastToOnlineUsers: {check: checkBroadcast, serve: broadcast},
	catalog.MessagesSendStreamToUser:       {check: checkStream, serve: streamChunk},
	catalog.MessagesSendStreamToGroup:      {check: checkStream, serve: streamChunk},
	catalog.MessagesImportToUser:           {check: checkImport, serve: importMessage},
	catalog.MessagesImportToGroup:          {check: checkImport, serve: importMessage},
	catalog.MessagesGetHistoryFile:         {check: checkHistoryHour, serve: historyFile},
	catalog.MessagesRecall:                 {check: checkRecall, serve: recallMessage},
	catalog.MessagesRecallBatch:            {check: checkRecallBatch, serve: recallBatch},
	catalog.MessagesModify:                 {check: checkModify, serve: modifyMessage},
	catalog.ConversationsDeleteForUser:     {serve: deleteConversation},
	catalog.ConversationsList:              {serve: listConversations},
	catalog.RoamingDeleteChatMessages:      {check: checkRoamingIDs, serve: deleteRoaming},
	catalog.RoamingDeleteGroupMessages:     {check: checkRoamingIDs, serve: deleteRoaming},
	catalog.RoamingClearUser:               {serve: clearRoaming},
	catalog.RoamingClearChatBefore:         {serve: clearRoamingBefore},
	catalog.RoamingClearGroupBefore:        {serve: clearRoamingBefore},
	catalog.FilesUpload:                    {check: receiveFile, serve: storeFile},
	catalog.FilesDownload:                  {serve: downloadFile},
	catalog.FilesDownloadThumbnail:         {serve: downloadFile},
	catalog.FilesSetLifetime:               {check: checkLifetime, serve: setLifetime},
	catalog.ReactionsAdd:                   {check: checkReaction, serve: addReaction},
	catalog.ReactionsListByMessages:        {check: checkReactionList, serve: listReactions},
	catalog.ReactionsDelete:                {check: checkReaction, serve: deleteReaction},
	catalog.ReactionsGetDetail:             {check: checkReaction, serve: reactionDetail},
	catalog.MessagesSearch:                 {check: checkSearch, serve: searchMessages, refuse: searchRefusal},
	catalog.TranslateText:                  {check: checkTranslate, serve: translate, refuse: translateRefusal},
	catalog.TranslateDetect:                {check: checkDetect, serve: detectLanguage, refuse: translateRefusal},
	catalog.TranslateListLanguages:         {serve: listLanguages, refuse: translateRefusal},
}

// messageConfig holds the options of the messages module.
type messageConfig struct {
	fileLimit    int64         // bytes an upload may hold
	fileDir      string        // "" keeps files in memory
	fileLifetime time.Duration // the default attachment lifetime
	recallWindow time.Duration
}

// Documented defaults, each of which the console or sales can raise.
func defaultMessageConfig() messageConfig {
	return messageConfig{fileLimit: 10 << 20, fileLifetime: 7 * 24 * time.Hour, recallWindow: 2 * time.Minute}
}

func (c messageConfig) check() error {
	if c.fileLimit <= 0 || c.fileLifetime <= 0 || c.recallWindow <= 0 {
		return fmt.Errorf("easemobtest: the file limit, file lifetime and recall window must be positive")
	}
	return nil
}

// WithFileLimit lets uploads hold up to n bytes instead of the documented
// 10 MB (the limit sales can raise); larger ones answer 413.
func WithFileLimit(n int64) Option { return func(c *config) { c.messages.fileLimit = n } }

// WithFileDir stores uploaded files in dir instead of memory, for tests
// that move large files; the caller removes dir (t.TempDir does).
func WithFileDir(dir string) Option { return func(c *config) { c.messages.fileDir = dir } }

// WithRecallWindow sets how long after sending a message can be recalled
// without force (2 minutes by default; the console allows up to 7 days).
func WithRecallWindow(d time.Duration) Option { return func(c *config) { c.messages.recallWindow = d } }

// messageState is the world's state of sends, broadcasts, streams, files,
// history, recall, modification, conversations, roaming, import,
// reactions, search and translation.
type messageState struct {
	cfg  messageConfig
	seq  int64               // the last message or broadcast ID issued
	msgs map[string]*message // every stored message, by ID
	// order lists the messages in the order they were stored.
	order []*message
	// offline holds, per user, the IDs of messages waiting for the user
	// to come online.
	offline map[string][]string
	// hidden holds, per user, the messages deleted from the user's roaming
	// history; cleared holds, per user and conversation, the time up to
	// which the user deleted it (conversation or roaming clears).
	hidden  map[string]map[string]bool
	cleared map[string]map[string]int64
	// listCut holds, per user and conversation, the time up to which the
	// user deleted it from the conversation list.
	listCut map[string]map[string]int64
	// imported holds the time of the last import per conversation.
	imported map[string]int64
	streams  map[string]*stream
	files    map[string]*storedFile
}

func newMessageState(cfg messageConfig) messageState {
	return messageState{cfg: cfg, msgs: map[string]*message{}, offline: map[string][]string{},
		hidden: map[string]map[string]bool{}, cleared: map[string]map[string]int64{}, listCut: map[string]map[string]int64{},
		imported: map[string]int64{}, streams: map[string]*stream{}, files: map[string]*storedFile{}}
}

// message is one stored message.
type message struct {
	id       string
	from, to string // to: the user, group or chatroom
	chatType string // chat, groupchat or chatroom
	typ      string
	body     map[string]any
	ext      map[string]any
	at       int64    // ms
	users    []string // the receivers of a targeted message
	recalled bool
	edits    int
	imported bool
	// roamIgnore do not see it in their roaming history.
	roamIgnore []string
	reactions  []*reaction
}

// Message IDs are numeric strings above 2^53, as the server's are.
const firstMessageID = 1_100_000_000_000_000_000

func (s *messageState) newID() string {
	s.seq++
	return strconv.FormatInt(firstMessageID+s.seq, 10)
}

// store keeps m; its ID is new.
func (s *messageState) store(m *message) {
	s.msgs[m.id] = m
	s.order = append(s.order, m)
}

// live returns a message that was neither recalled nor never sent.
func (s *messageState) live(id string) (*message, bool) {
	m, ok := s.msgs[id]
	if !ok || m.recalled {
		return nil, false
	}
	return m, true
}

// convKey names a conversation as one user sees it: its type and peer.
func convKey(chatType, peer string) string { return chatType + "/" + peer }

// peerOf is the conversation m is in, as user sees it.
func (m *message) peerOf(user string) string {
	switch {
	case m.chatType != "chat":
		return m.to
	case fold(m.to) == user:
		return fold(m.from)
	}
	return fold(m.to)
}

// involves reports whether user takes part in m: its sender, its receiver
// (one-to-one), a receiver of a targeted message or, for a group or
// chatroom message without targets, anyone (the emulator keeps no
// membership of its own here).
func (m *message) involves(user string) bool {
	switch {
	case fold(m.from) == user:
		return true
	case m.chatType == "chat":
		return fold(m.to) == user
	case len(m.users) > 0:
		for _, u := range m.users {
			if fold(u) == user {
				return true
			}
		}
		return false
	}
	return true
}

// addressed reports whether m was written by user or to user by name.
func (m *message) addressed(user string) bool {
	return fold(m.from) == user || m.chatType == "chat" && fold(m.to) == user || slices.ContainsFunc(m.users, func(u string) bool { return fold(u) == user })
}

// visibleTo reports whether m is in user's roaming history.
func (s *messageState) visibleTo(m *message, user string) bool {
	if m.recalled || !m.involves(user) || s.hidden[user][m.id] {
		return false
	}
	for _, u := range m.roamIgnore {
		if fold(u) == user {
			return false
		}
	}
	return m.at > s.cleared[user][convKey(m.chatType, m.peerOf(user))]
}

// hide deletes m from user's roaming history.
func (s *messageState) hide(user, id string) {
	if s.hidden[user] == nil {
		s.hidden[user] = map[string]bool{}
	}
	s.hidden[user][id] = true
}

// clear deletes user's conversation up to ms (inclusive).
func (s *messageState) clear(user, key string, ms int64) {
	if s.cleared[user] == nil {
		s.cleared[user] = map[string]int64{}
	}
	s.cleared[user][key] = max(s.cleared[user][key], ms)
}

// queueOffline keeps id for user until the user comes online.
func (s *messageState) queueOffline(user, id string) {
	s.offline[user] = append(s.offline[user], id)
}

// deliver hands an online user what waited offline.
func (w *world) deliver(user string) {
	if res, ok := w.users.resources(user); ok && len(res) > 0 {
		delete(w.messages.offline, fold(user))
	}
}

// offlineCount is how many messages wait for user; it delivers them first
// when the user is online.
func (w *world) offlineCount(user string) int {
	w.deliver(user)
	return len(w.messages.offline[fold(user)])
}

// offlineStatus is the delivery state of message id for user.
func (w *world) offlineStatus(user, id string) string {
	w.deliver(user)
	for _, q := range w.messages.offline[fold(user)] {
		if q == id {
			return "undelivered"
		}
	}
	return "delivered"
}

// unqueue drops a recalled message from every offline queue.
func (s *messageState) unqueue(id string) {
	for user, q := range s.offline {
		for i, x := range q {
			if x == id {
				s.offline[user] = append(q[:i:i], q[i+1:]...)
				break
			}
		}
	}
}

func init() {
	userCascade = append(userCascade, func(w *world, user string) {
		s := &w.messages
		delete(s.offline, user)
		delete(s.hidden, user)
		delete(s.cleared, user)
		delete(s.listCut, user)
	})
}

// decodeObject decodes a JSON object field loosely; nil when absent.
func decodeObject(raw json.RawMessage) map[string]any {
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}
