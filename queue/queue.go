// Package queue is newsgraph's work queue on NATS JetStream: `ingest --queue` reads its inputs and
// publishes one work item an article (or a URL to fetch), and `worker` processes, on as many
// machines as there are, analyses and stores each, acknowledging an item only once the store has
// committed it. Delivery is at least once (a worker that dies leaves its items to be delivered
// again when their acknowledgement is overdue); the store's idempotence (by URL and by text)
// makes each article stored once.
//
// An item that fails MaxDeliver times (a poison item: one that cannot be read, or that kills its
// worker) is moved to the dead-letter stream with its reason, where `queue status` shows it. A
// publisher waits while the work stream holds MaxPending items (back-pressure: workers that lag
// slow the publisher down, rather than the queue growing without bound).
package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsgraph/newsgraph"
	"github.com/newsgraph/newsgraph/source"
)

// The streams, subjects and consumer of the namespace "newsgraph" (Options.Namespace names
// another: NS_WORK on ns.work, NS_DEAD on ns.dead).
const (
	Stream      = "NEWSGRAPH_WORK"
	Subject     = "newsgraph.work"
	DeadStream  = "NEWSGRAPH_DEAD"
	DeadSubject = "newsgraph.dead"
	Consumer    = "workers"
)

// Item is a work item: an article read by the publisher (its text, and what is known of it), or
// a URL for the worker to fetch (a page or a feed).
type Item struct {
	Kind     string         `json:"kind"` // "text" or "url"
	Name     string         `json:"name"` // the input, for messages: a path, "path: record N", a URL
	Text     string         `json:"text,omitempty"`
	URL      string         `json:"url,omitempty"`
	Meta     newsgraph.Meta `json:"meta"`
	Warnings []string       `json:"warnings,omitempty"`
}

// ItemOf is the work item of an item read by source (extracted already).
func ItemOf(it source.Item) Item {
	return Item{Kind: "text", Name: it.Meta.Input.String(), Text: it.Text, Meta: it.Meta, Warnings: it.Warnings}
}

// URLItem is the work item of a URL to fetch.
func URLItem(u string) Item { return Item{Kind: "url", Name: u, URL: u} }

// SourceItem turns a text item back into what the ingest flow reads.
func (it Item) SourceItem() source.Item {
	return source.Item{Text: it.Text, Meta: it.Meta, Warnings: it.Warnings}
}

// Options configure a queue.
type Options struct {
	// MaxDeliver: an item delivered this many times without being stored goes to the dead
	// letters (0: 5).
	MaxDeliver int
	// AckWait is how long a worker has to store an item before it is delivered again (0: 5
	// minutes; a worker working on a large article says it is still at it).
	AckWait time.Duration
	// MaxPending is how many items the work stream may hold before publishers wait (0: 10,000).
	MaxPending int64
	// Name names this connection to the server (in its monitoring).
	Name string
	// Worker: this connection works on the queue, and sets the consumer's AckWait.
	Worker bool
	// Namespace keeps this queue's streams apart from others' on one server (0: "newsgraph"):
	// letters, digits and _.
	Namespace string
}

// Queue is a connection to the work queue.
type Queue struct {
	stream, subject, deadStream, deadSubject string

	nc   *nats.Conn
	js   jetstream.JetStream
	work jetstream.Stream
	dead jetstream.Stream
	cons jetstream.Consumer
	o    Options
}

// IsURL reports whether a --queue value names a NATS server.
func IsURL(s string) bool { return strings.HasPrefix(s, "nats://") || strings.HasPrefix(s, "tls://") }

// Open connects to the NATS server at addr and makes the streams and the consumer if missing.
// The connection reconnects by itself when the server goes away and comes back.
func Open(ctx context.Context, addr string, o Options) (*Queue, error) {
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = 5
	}
	if o.AckWait <= 0 {
		o.AckWait = 5 * time.Minute
	}
	if o.MaxPending <= 0 {
		o.MaxPending = 10_000
	}
	if o.Name == "" {
		o.Name = "newsgraph"
	}
	if o.Namespace == "" {
		o.Namespace = "newsgraph"
	}
	if !namespace.MatchString(o.Namespace) {
		return nil, fmt.Errorf("queue: namespace %q: letters, digits and _", o.Namespace)
	}
	if _, err := url.Parse(addr); err != nil || !IsURL(addr) {
		return nil, fmt.Errorf("queue: %q is not a nats:// URL", addr)
	}
	nc, err := nats.Connect(addr, nats.Name(o.Name), nats.MaxReconnects(-1), nats.ReconnectWait(500*time.Millisecond), nats.RetryOnFailedConnect(false))
	if err != nil {
		return nil, fmt.Errorf("queue: %s: %w", addr, err)
	}
	ns := strings.ToLower(o.Namespace)
	q := &Queue{nc: nc, o: o, stream: strings.ToUpper(ns) + "_WORK", subject: ns + ".work", deadStream: strings.ToUpper(ns) + "_DEAD", deadSubject: ns + ".dead"}
	if err := q.setup(ctx); err != nil {
		nc.Close()
		return nil, fmt.Errorf("queue: %s: %w", addr, err)
	}
	return q, nil
}

func (q *Queue) setup(ctx context.Context) error {
	js, err := jetstream.New(q.nc)
	if err != nil {
		return err
	}
	q.js = js
	// The work: each item until a worker acknowledges it (a work queue), kept on disk.
	if q.work, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: q.stream, Subjects: []string{q.subject}, Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage,
		MaxMsgSize: 16 << 20, Description: "newsgraph: articles and URLs to analyse and store",
	}); err != nil {
		return fmt.Errorf("the work stream: %w", err)
	}
	// The dead letters: kept for a month, the newest 100,000.
	if q.dead, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: q.deadStream, Subjects: []string{q.deadSubject}, Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage,
		MaxMsgs: 100_000, MaxAge: 30 * 24 * time.Hour, MaxMsgSize: 17 << 20, Description: "newsgraph: work items that failed, with their reasons",
	}); err != nil {
		return fmt.Errorf("the dead-letter stream: %w", err)
	}
	// The workers' consumer: a worker sets its acknowledgement wait; others (publishers, status)
	// make it with the defaults only when it is missing.
	cfg := jetstream.ConsumerConfig{Durable: Consumer, AckPolicy: jetstream.AckExplicitPolicy, AckWait: q.o.AckWait, MaxAckPending: 10_000,
		Description: "newsgraph workers"}
	if q.o.Worker {
		q.cons, err = js.CreateOrUpdateConsumer(ctx, q.stream, cfg)
	} else if q.cons, err = js.Consumer(ctx, q.stream, Consumer); errors.Is(err, jetstream.ErrConsumerNotFound) {
		q.cons, err = js.CreateConsumer(ctx, q.stream, cfg)
		if errors.Is(err, jetstream.ErrConsumerExists) {
			q.cons, err = js.Consumer(ctx, q.stream, Consumer)
		}
	}
	if err != nil {
		return fmt.Errorf("the consumer: %w", err)
	}
	return nil
}

// Namespace is the queue's namespace (Options.Namespace).
func (q *Queue) Namespace() string { return q.o.Namespace }

// Close drains and closes the connection.
func (q *Queue) Close() error {
	return q.nc.Drain()
}

// Publish adds an item to the queue, once the server has it on disk. While the work stream holds
// MaxPending items or more it waits (checking each second), telling wait, if not nil, how many.
func (q *Queue) Publish(ctx context.Context, it Item, wait func(pending uint64)) error {
	b, err := json.Marshal(it)
	if err != nil {
		return err
	}
	for {
		info, err := q.work.Info(ctx)
		if err != nil {
			return err
		}
		if int64(info.State.Msgs) < q.o.MaxPending {
			break
		}
		if wait != nil {
			wait(info.State.Msgs)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	_, err = q.js.Publish(ctx, q.subject, b)
	return err
}

// DeadLetter is an item that failed, with why.
type DeadLetter struct {
	Item      Item      `json:"item"`
	Reason    string    `json:"reason"`
	Delivered uint64    `json:"delivered"` // how many times it was delivered
	At        time.Time `json:"at"`
	Worker    string    `json:"worker,omitempty"`
}

// bury moves an item to the dead letters with its reason.
func (q *Queue) bury(ctx context.Context, it Item, raw []byte, reason string, delivered uint64) error {
	if it.Kind == "" {
		it = Item{Kind: "unreadable", Name: string(raw[:min(len(raw), 200)])}
	}
	b, err := json.Marshal(DeadLetter{Item: it, Reason: reason, Delivered: delivered, At: time.Now().UTC(), Worker: q.o.Name})
	if err != nil {
		return err
	}
	_, err = q.js.Publish(ctx, q.deadSubject, b)
	return err
}

// Status is what `queue status` shows.
type Status struct {
	Pending      uint64       `json:"pending"`       // items in the work stream (not yet stored)
	InProgress   int          `json:"in_progress"`   // delivered to a worker, not yet acknowledged
	Redelivered  int          `json:"redelivered"`   // of those, delivered more than once
	Waiting      uint64       `json:"waiting"`       // not yet delivered
	Workers      int          `json:"workers"`       // workers asking for items now
	Dead         uint64       `json:"dead"`          // items in the dead letters
	LastDead     []DeadLetter `json:"last_dead"`     // the newest of them (at most 20)
	StreamBytes  uint64       `json:"stream_bytes"`  // the work stream's size
	DeliveredAll uint64       `json:"delivered_all"` // deliveries the consumer has made
}

// Status reads the queue's state.
func (q *Queue) Status(ctx context.Context) (Status, error) {
	var s Status
	wi, err := q.work.Info(ctx)
	if err != nil {
		return s, err
	}
	s.Pending, s.StreamBytes = wi.State.Msgs, wi.State.Bytes
	ci, err := q.cons.Info(ctx)
	if err != nil {
		return s, err
	}
	s.InProgress, s.Redelivered, s.Waiting, s.Workers, s.DeliveredAll = ci.NumAckPending, ci.NumRedelivered, ci.NumPending, ci.NumWaiting, ci.Delivered.Stream
	di, err := q.dead.Info(ctx)
	if err != nil {
		return s, err
	}
	s.Dead = di.State.Msgs
	if s.Dead > 0 {
		first := di.State.LastSeq - min(di.State.LastSeq-di.State.FirstSeq, 19)
		for seq := first; seq <= di.State.LastSeq; seq++ {
			m, err := q.dead.GetMsg(ctx, seq)
			if err != nil {
				continue // removed by the limits meanwhile
			}
			var d DeadLetter
			if json.Unmarshal(m.Data, &d) == nil {
				s.LastDead = append(s.LastDead, d)
			}
		}
	}
	return s, nil
}

var namespace = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// PublishRaw adds bytes as they are to the work stream (tests use it for a message that is not
// a work item).
func (q *Queue) PublishRaw(ctx context.Context, b []byte) error {
	_, err := q.js.Publish(ctx, q.subject, b)
	return err
}

// Purge removes the namespace's streams (tests use it to clean up).
func (q *Queue) Purge(ctx context.Context) error {
	return errors.Join(q.js.DeleteStream(ctx, q.stream), q.js.DeleteStream(ctx, q.deadStream))
}
