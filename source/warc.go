package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"os"
	"strconv"
	"strings"

	"github.com/nlnwa/gowarc/v3"

	"github.com/newsgraph/newsgraph"
)

// A web archive (WARC, ISO 28500) is read record by record. The file is plain, gzipped record by
// record (each record its own gzip member: the usual .warc.gz), or gzipped as a whole (one member
// holding every record), or any mix of these: each gzip member is decompressed once, on its own,
// and may hold any number of records.
//
// newsgraph finds each record's start itself, reads its header, checks its Content-Length against
// the bytes that follow and the end-of-record marker after them, and hands the record's bytes,
// whole, to gowarc's parser in its validating mode (a page is never cut to what a buffer held).
// Every departure from the format is reported with the record's number and byte offset:
//   - a record that cannot be a whole record (no Content-Length, two of them, a negative one, one
//     larger than what follows, one not followed by the end-of-record marker; a header that does
//     not end; one gowarc cannot parse) is refused, and reading goes on at the next record start
//     after the record's own start, so that the records a wrong length swallowed are still read
//     (from the bytes already read: nothing is read from the file or decompressed twice);
//   - bytes between records that are not a record are reported as such, and a gzip member that is
//     corrupt or cut short;
//   - smaller violations (a missing or odd header field, a wrong digest, an end-of-record marker of
//     bare line feeds) go with the record's page as warnings, or as a notice when the record holds
//     no page. gowarc parses response and resource records, the ones that may hold a page; the
//     others (requests, metadata, warcinfo, revisits) are checked for their length and marker only.
//
// A record whose block is larger than the size limit (plus room for its HTTP header) is not read
// into memory: an HTML page in it is refused as too large, any other record is passed over. The
// bytes re-read after refused records are bounded (reReadBudget): an archive of many records each
// claiming more than it holds has the rest of its data skipped, said, rather than re-read for
// each.

// warcHeaderLimit bounds a record's WARC header: a record whose header does not end within it is
// refused.
const warcHeaderLimit = 256 << 10

// warcHTTPRoom is the room a response record's block is allowed beyond the size limit for its
// HTTP header.
const warcHTTPRoom = 1 << 20

// maxRecordWarnings bounds the warnings kept for one record.
const maxRecordWarnings = 8

// reReadBudget bounds the bytes a segment may re-read after refused records, beyond four times
// the bytes it has read.
const reReadBudget = 64 << 20

var (
	warcMagic = []byte("WARC/1.")
	crlfcrlf  = []byte("\r\n\r\n")
)

type warcReader struct {
	ctx  context.Context
	path string
	opts Options
	fn   func(Item) error
	f    *os.File
	size int64
	u    gowarc.Unmarshaler
	br   *bufio.Reader // over the current segment's data, reused from segment to segment
	rec  []byte        // the current record's bytes, reused
	rb   *bufio.Reader // the compressed bytes of the current gzip member, reused
	zr   *gzip.Reader  // its decompressor, reused
	n    int           // record starts found so far
}

// segment is a run of records: the whole of a plain file, or the data of one gzip member.
type segment struct {
	off int64 // where it starts in the file
	gz  bool
}

// data is a segment's bytes as br reads them: bytes pushed back after a refused record first, then
// the rest of the file section or the gzip member.
type data struct {
	raw     io.Reader
	pending []byte
	off     int64 // the offset in the segment's data of the next byte Read gives
	read    int64 // bytes taken from raw
	rawErr  error // the last error of raw other than io.EOF (damaged gzip data)
}

func (d *data) Read(p []byte) (int, error) {
	if len(d.pending) > 0 {
		k := copy(p, d.pending)
		d.pending = d.pending[k:]
		d.off += int64(k)
		return k, nil
	}
	k, err := d.raw.Read(p)
	d.off += int64(k)
	d.read += int64(k)
	if err != nil && err != io.EOF {
		d.rawErr = err
	}
	return k, err
}

// readWARC reads the HTML pages of a web archive: every response record with HTTP status 200 and
// an HTML body, and every resource record of an HTML type, becomes an article, its URL the
// record's target URI and its Input.Record the record's number in the file (counting every record
// start found, good or bad). Other records are passed over.
func readWARC(ctx context.Context, path string, opts Options, fn func(Item) error) error {
	f, err := openRegular(path)
	if err != nil {
		return fn(Item{Err: inputErr("open", path, 0, -1, err)})
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fn(Item{Err: inputErr("open", path, 0, -1, unwrapPathErr(err))})
	}
	w := &warcReader{ctx: ctx, path: path, opts: opts, fn: fn, f: f, size: fi.Size(),
		u: gowarc.NewUnmarshaler(gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn), gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
			gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore), gowarc.WithBlockErrorPolicy(gowarc.ErrWarn),
			gowarc.WithBufferMaxMemBytes(opts.MaxBytes+warcHTTPRoom+warcHeaderLimit)),
		br: bufio.NewReaderSize(nil, warcHeaderLimit+16)}
	if w.size == 0 {
		return fn(Item{Err: inputErr("read", path, 0, -1, fmt.Errorf("%w: an empty web archive", newsgraph.ErrEmpty))})
	}
	var magic [2]byte
	if _, rerr := f.ReadAt(magic[:], 0); rerr == nil && magic == [2]byte{0x1f, 0x8b} {
		err = w.members()
	} else {
		_, err = w.segment(segment{off: 0})
	}
	if err == nil && w.n == 0 {
		err = w.fn(Item{Err: inputErr("read", path, 0, -1, errors.New("not a web archive: no WARC record found"))})
	}
	return err
}

// members reads a gzipped archive member by member. Bytes between members that are not gzip data
// are reported and passed over; a corrupt or truncated member is reported, and reading goes on at
// the next member start after it.
func (w *warcReader) members() error {
	off := int64(0)
	for off < w.size {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		end, err := w.segment(segment{off: off, gz: true})
		if err != nil {
			return err
		}
		if end > off {
			off = end
			continue
		}
		// Not a gzip member at off, or one that could not be read to its end: go on at the next.
		next := w.resync(off + 1)
		if end == off { // not gzip data at all (a damaged member was reported by segment)
			to := w.size
			if next >= 0 {
				to = next
			}
			msg := fmt.Sprintf("%d bytes that are not a gzipped WARC record", to-off)
			if next >= 0 {
				msg += fmt.Sprintf("; reading goes on at byte %d", next)
			}
			if err := w.fn(Item{Err: inputErr("read", w.path, 0, int(off), errors.New(msg))}); err != nil {
				return err
			}
		}
		if next < 0 {
			break
		}
		off = next
	}
	return nil
}

// segment reads the records of s. For a gzip member it returns the file offset just past it, or
// s.off when s.off holds no gzip data, or -1 when the member could not be read to its end (its
// damage reported); for a plain file, the file's size. The error is fn's or the context's.
func (w *warcReader) segment(s segment) (int64, error) {
	var raw io.Reader = io.NewSectionReader(w.f, s.off, w.size-s.off)
	memberEnd := func() int64 { return w.size }
	if s.gz {
		counted := &countingReader{r: raw}
		// A ByteReader: gzip reads no byte past its member. It and the decompressor are reused
		// from member to member (an archive gzipped record by record has one a record).
		if w.rb == nil {
			w.rb = bufio.NewReader(counted)
		} else {
			w.rb.Reset(counted)
		}
		rb := w.rb
		var err error
		if w.zr == nil {
			w.zr, err = gzip.NewReader(rb)
		} else {
			err = w.zr.Reset(rb)
		}
		if err != nil {
			w.zr = nil
			return s.off, nil // not gzip data: members reports it
		}
		w.zr.Multistream(false)
		raw = w.zr
		memberEnd = func() int64 { return s.off + counted.n - int64(rb.Buffered()) }
	}
	d := &data{raw: raw}
	br := w.br
	br.Reset(d)
	pos := func() int64 { return d.off - int64(br.Buffered()) }
	var reRead int64
	var refused *refusal // the last record refused, reported once reading goes on
	flush := func(next string) error {
		if refused == nil {
			return nil
		}
		r := refused
		refused = nil
		return w.fn(Item{Err: w.errAt(s, r.n, r.start, fmt.Errorf("bad WARC record: %s; %s", r.why, next))})
	}
	for {
		if err := w.ctx.Err(); err != nil {
			return 0, err
		}
		from := pos()
		skipped, blank, err := skipToRecord(br)
		switch {
		case refused != nil && err == nil:
			where := fmt.Sprintf("reading goes on at byte %d", pos())
			if s.gz {
				where = fmt.Sprintf("reading goes on at byte %d of the gzip member's data", pos())
			}
			if ferr := flush(where); ferr != nil {
				return 0, ferr
			}
		case refused != nil:
			if ferr := flush("no record follows it"); ferr != nil {
				return 0, ferr
			}
		case skipped > 0 && blank:
			if err := w.notice(fmt.Sprintf("%s: %d stray line-end bytes between records (the end-of-record marker is two CRLFs)", w.where(s, 0, from), skipped)); err != nil {
				return 0, err
			}
		case skipped > 0:
			if err := w.fn(Item{Err: w.errAt(s, 0, from, fmt.Errorf("%d bytes that are not a WARC record", skipped))}); err != nil {
				return 0, err
			}
		}
		if err != nil {
			if err == io.EOF {
				break
			}
			// The gzip member is damaged (corrupt, or cut short) where no record starts.
			if ferr := w.fn(Item{Err: w.errAt(s, 0, pos(), gzipErr(err))}); ferr != nil {
				return 0, ferr
			}
			return -1, nil
		}
		start := pos()
		w.n++
		r, err := w.record(s, w.n, start, br, d)
		if err != nil {
			return 0, err
		}
		switch {
		case r.stop:
			return -1, nil
		case r.refuse != "" && r.back == nil && !r.reopen:
			// Refused from its header, nothing read past it: on from its second byte.
			br.Discard(1)
			refused = &refusal{n: w.n, start: start, why: r.refuse}
		case r.refuse != "":
			refused = &refusal{n: w.n, start: start, why: r.refuse}
			reRead += int64(len(r.back)) + r.skipped
			if reRead > reReadBudget+4*d.read {
				if err := w.fn(Item{Err: w.errAt(s, w.n, start, fmt.Errorf("bad WARC record: %s; too many records of this archive claim more than they hold: the rest of its data is skipped", r.refuse))}); err != nil {
					return 0, err
				}
				if s.gz {
					return -1, nil
				}
				return w.size, nil
			}
			if r.reopen {
				// A plain file's record passed over unread: on at its second byte, from the file.
				d.raw = io.NewSectionReader(w.f, s.off+start+1, w.size-s.off-start-1)
				d.pending, d.off = nil, start+1
				br.Reset(d)
				continue
			}
			// Go on at the record's second byte, from the bytes already read.
			buffered, _ := br.Peek(br.Buffered())
			pending := make([]byte, 0, len(r.back)+len(buffered)+len(d.pending))
			pending = append(append(append(pending, r.back...), buffered...), d.pending...)
			d.pending, d.off = pending, start+1
			br.Reset(d)
		}
	}
	return memberEnd(), nil
}

type refusal struct {
	n     int
	start int64
	why   string
}

// recordResult is what reading one record came to: refuse says why it was refused; back holds the
// bytes read from its second byte on, when reading must go on there, or reopen says to read them
// again from the file (skipped of them); stop ends a damaged gzip member.
type recordResult struct {
	refuse  string
	back    []byte
	reopen  bool
	skipped int64
	stop    bool
}

// peekHeader peeks at the record that starts where br stands, in growing steps, until its header
// ends or warcHeaderLimit bytes have been seen.
func peekHeader(br *bufio.Reader) ([]byte, warcHeader, bool, error) {
	for size := 4 << 10; ; size *= 8 {
		size = min(size, warcHeaderLimit)
		head, err := br.Peek(size)
		if h, ok := parseWARCHeader(head); ok {
			return head, h, true, nil
		}
		if err != nil || size == warcHeaderLimit {
			return head, warcHeader{}, false, err
		}
	}
}

// record reads the record starting at start (br stands at its "WARC/1." line) and passes on its
// page, warnings or, for a gzip member that breaks off, its damage.
func (w *warcReader) record(s segment, n int, start int64, br *bufio.Reader, d *data) (recordResult, error) {
	head, h, ok, perr := peekHeader(br)
	if !ok {
		switch {
		case s.gz && perr != nil && isDecompressErr(perr):
			return recordResult{stop: true}, w.fn(Item{Err: w.errAt(s, n, start, gzipErr(perr))})
		case perr != nil && perr != io.EOF:
			return recordResult{refuse: perr.Error()}, nil
		case len(head) >= warcHeaderLimit:
			return recordResult{refuse: fmt.Sprintf("its header does not end within %d KB", warcHeaderLimit>>10)}, nil
		}
		return recordResult{refuse: "its header does not end (the data is cut short)"}, nil
	}
	switch {
	case h.lengths > 1:
		return recordResult{refuse: fmt.Sprintf("%d Content-Length fields", h.lengths)}, nil
	case !h.hasLength:
		return recordResult{refuse: "no valid Content-Length"}, nil
	case h.length < 0:
		return recordResult{refuse: fmt.Sprintf("a negative Content-Length (%d)", h.length)}, nil
	case !s.gz && start+int64(h.headerLen)+h.length > w.size-s.off:
		return recordResult{refuse: fmt.Sprintf("Content-Length %d, but only %d bytes follow its header (cut short, or the length is wrong)",
			h.length, w.size-s.off-start-int64(h.headerLen))}, nil
	case h.length > w.opts.MaxBytes+warcHTTPRoom:
		return w.skipLarge(s, n, start, h, br, d)
	}
	if !s.gz {
		// In a plain file the marker is checked where the length puts it before the record is
		// read: a wrong length costs no reading.
		var after [14]byte
		k, _ := w.f.ReadAt(after[:], s.off+start+int64(h.headerLen)+h.length)
		if _, bad := endMarker(after[:k]); bad {
			return recordResult{refuse: fmt.Sprintf("no end-of-record marker after its Content-Length of %d bytes: the length is wrong", h.length)}, nil
		}
	}
	total := h.headerLen + int(h.length)
	if cap(w.rec) < total+4 {
		w.rec = make([]byte, total+4)
	}
	rec := w.rec[:total]
	got, err := io.ReadFull(br, rec)
	if err != nil {
		if s.gz && d.rawErr != nil {
			// The gzip member breaks off inside the record: nothing after can be read.
			return recordResult{stop: true}, w.fn(Item{Err: w.errAt(s, n, start, gzipErr(d.rawErr))})
		}
		return recordResult{refuse: fmt.Sprintf("Content-Length %d, but only %d bytes follow its header (cut short, or the length is wrong)", h.length, got-h.headerLen),
			back: rec[1:got]}, nil
	}
	var warnings []string
	next, _ := br.Peek(14)
	k, bad := endMarker(next)
	if bad {
		return recordResult{refuse: fmt.Sprintf("no end-of-record marker after its Content-Length of %d bytes: the length is wrong", h.length), back: rec[1:]}, nil
	}
	switch {
	case k == 4 && bytes.HasPrefix(next, crlfcrlf):
	case len(next) == 0:
		warnings = append(warnings, "the data ends (the file's, or its gzip member's) without the record's end-of-record marker")
	case k == 0:
		warnings = append(warnings, "no end-of-record marker before the next record")
	default:
		warnings = append(warnings, fmt.Sprintf("the end-of-record marker is %q, not two CRLFs", next[:k]))
	}
	br.Discard(k)
	if typ := strings.ToLower(h.typ); typ != "response" && typ != "resource" {
		// No page: its structure is checked, and gowarc's parse (a third of the time of a crawl's
		// requests and metadata) is spared.
		if len(warnings) > 0 {
			where := w.where(s, n, start)
			for i := range warnings {
				warnings[i] = where + ": " + warnings[i]
			}
			return recordResult{}, w.fn(Item{Warnings: warnings, notice: true})
		}
		return recordResult{}, nil
	}
	// gowarc parses the record from its bytes, with a proper marker.
	whole := append(rec, crlfcrlf...)
	wr, val, uerr := unmarshal(w.u, bufio.NewReaderSize(bytes.NewReader(whole), 4096))
	if wr != nil {
		defer wr.Close()
	}
	if uerr != nil {
		return recordResult{refuse: trimWarcErr(uerr).Error(), back: rec[1:]}, nil
	}
	problems, more := classifyWARC(val)
	if len(problems) > 0 {
		return recordResult{refuse: strings.Join(problems, "; "), back: rec[1:]}, nil
	}
	warnings = append(warnings, more...)
	if len(warnings) > maxRecordWarnings {
		warnings = append(warnings[:maxRecordWarnings], fmt.Sprintf("and %d more", len(warnings)-maxRecordWarnings))
	}
	where := w.where(s, n, start)
	it, ok := warcItem(w.path, n, wr, w.opts)
	for _, v := range warnings {
		it.Warnings = append(it.Warnings, where+": "+v)
	}
	if !ok {
		if len(it.Warnings) == 0 {
			return recordResult{}, nil
		}
		it = Item{Warnings: it.Warnings, notice: true}
	}
	return recordResult{}, w.fn(it)
}

// skipLarge passes over a record whose block is over the size limit without reading it into
// memory: an HTML page is refused as too large, another record passed over. A record that does
// not end where its length says (in a gzip member, whose bytes cannot be had again) ends the
// member's reading.
func (w *warcReader) skipLarge(s segment, n int, start int64, h warcHeader, br *bufio.Reader, d *data) (recordResult, error) {
	page := false
	switch strings.ToLower(h.typ) {
	case "response":
		if i := h.headerLen; i < len(h.raw) {
			if resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(h.raw[i:])), nil); err == nil {
				page = resp.StatusCode == 200 && isHTMLType(resp.Header.Get("Content-Type"))
			}
		}
	case "resource":
		page = isHTMLType(h.contentType)
	}
	lost := func(why string) (recordResult, error) {
		if s.gz {
			return recordResult{stop: true}, w.fn(Item{Err: w.errAt(s, n, start, fmt.Errorf("bad WARC record: %s; the rest of the gzip member is skipped", why))})
		}
		return recordResult{refuse: why, reopen: true, skipped: int64(h.headerLen) + h.length}, nil
	}
	br.Discard(h.headerLen)
	got, err := io.CopyN(io.Discard, br, h.length)
	if err != nil {
		if s.gz && d.rawErr != nil {
			return recordResult{stop: true}, w.fn(Item{Err: w.errAt(s, n, start, gzipErr(d.rawErr))})
		}
		return lost(fmt.Sprintf("Content-Length %d, but only %d bytes follow its header", h.length, got))
	}
	if m, _ := br.Peek(4); bytes.Equal(m, crlfcrlf) {
		br.Discard(4)
	} else if len(m) > 0 && !isVersionLine(m) && len(bytes.TrimLeft(m, "\r\n")) == len(m) {
		return lost(fmt.Sprintf("no end-of-record marker after its Content-Length of %d bytes: the length is wrong", h.length))
	}
	if !page {
		return recordResult{}, nil
	}
	uri := strings.Trim(h.uri, "<>")
	name := w.path
	if uri != "" {
		name += " (" + uri + ")"
	}
	off := int(start)
	if s.gz {
		off = int(s.off)
	}
	return recordResult{}, w.fn(Item{Err: inputErr("read", name, n, off, fmt.Errorf("%w (a block of %d bytes > %d)", newsgraph.ErrTooLarge, h.length, w.opts.MaxBytes))})
}

// endMarker reads what follows a record's block (up to 14 bytes of it): the end-of-record marker,
// two CRLFs, is k bytes long. Bare or short line ends before the next record or the end of the data
// are taken too (k of them), and nothing at all before the next record or the end (k 0); bad when
// anything else follows, which means the record's length is wrong.
func endMarker(next []byte) (k int, bad bool) {
	if bytes.HasPrefix(next, crlfcrlf) {
		return 4, false
	}
	for k < 4 && k < len(next) && (next[k] == '\r' || next[k] == '\n') {
		k++
	}
	if k == len(next) || isVersionLine(next[k:]) {
		return k, false
	}
	return 0, true
}

// where names record n (0: between records) at offset at of s's data, for a warning: the file, the
// record, and its offset (for a gzip member, the member's, and where in its data the record starts
// when it is not at its start).
func (w *warcReader) where(s segment, n int, at int64) string {
	name := newsgraph.InputName(w.path, n)
	if !s.gz {
		return fmt.Sprintf("%s: byte %d", name, at)
	}
	name = fmt.Sprintf("%s: byte %d", name, s.off)
	if at > 0 {
		name += fmt.Sprintf(" (the gzip member's, at byte %d of its data)", at)
	}
	return name
}

// errAt is an InputError for record n (0: between records) at offset at of s's data.
func (w *warcReader) errAt(s segment, n int, at int64, err error) error {
	if !s.gz {
		return inputErr("read", w.path, n, int(at), err)
	}
	if at > 0 {
		err = fmt.Errorf("%w (at byte %d of the data of the gzip member at byte %d)", err, at, s.off)
	}
	return inputErr("read", w.path, n, int(s.off), err)
}

// notice passes on a warning that goes with no article.
func (w *warcReader) notice(msg string) error {
	return w.fn(Item{Warnings: []string{msg}, notice: true})
}

// gzipErr describes damaged gzip data.
func gzipErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the gzip data is cut short")
	}
	return fmt.Errorf("corrupt gzip data: %v", err)
}

// resync finds the next gzip member at or after from whose data starts with a WARC version line;
// -1 when there is none.
func (w *warcReader) resync(from int64) int64 {
	const chunk = 64 << 10
	buf := make([]byte, chunk)
	for pos := from; pos < w.size; {
		k, _ := w.f.ReadAt(buf, pos)
		if k <= 0 {
			return -1
		}
		b := buf[:k]
		for i := 0; i < len(b); {
			j := bytes.Index(b[i:], []byte{0x1f, 0x8b, 0x08})
			if j < 0 {
				break
			}
			at := pos + int64(i+j)
			if w.startsMember(at) {
				return at
			}
			i += j + 1
		}
		if k < chunk {
			return -1
		}
		pos += int64(k) - 8 // overlap: a magic cut by the chunk's end is found in the next
	}
	return -1
}

func (w *warcReader) startsMember(at int64) bool {
	zr, err := gzip.NewReader(io.NewSectionReader(w.f, at, w.size-at))
	if err != nil {
		return false
	}
	var line [10]byte
	k, _ := io.ReadFull(zr, line[:])
	return isVersionLine(line[:k])
}

// isVersionLine reports whether b starts with a WARC/1.0 or WARC/1.1 line.
func isVersionLine(b []byte) bool {
	if len(b) < 9 || !bytes.HasPrefix(b, warcMagic) || (b[7] != '0' && b[7] != '1') {
		return false
	}
	return b[8] == '\n' || b[8] == '\r' && len(b) > 9 && b[9] == '\n'
}

// skipToRecord passes over bytes up to the next WARC version line: it returns how many it passed
// over and whether they were all line ends; io.EOF when no record follows.
func skipToRecord(br *bufio.Reader) (int64, bool, error) {
	var skipped int64
	blank := true
	for {
		b, err := br.Peek(10)
		if len(b) >= 9 && isVersionLine(b) {
			return skipped, blank, nil
		}
		if len(b) == 0 || len(b) < 10 && err != nil {
			if err == nil || err == io.EOF {
				// What remains is too short to be a record.
				skipped += int64(len(b))
				blank = blank && len(bytes.Trim(b, "\r\n")) == 0
				br.Discard(len(b))
				return skipped, blank, io.EOF
			}
			return skipped, blank, err
		}
		// Pass over everything up to the next possible start.
		buf, _ := br.Peek(br.Buffered())
		i := bytes.Index(buf[1:], warcMagic)
		k := len(buf) - len(warcMagic) // keep a magic the buffer's end may have cut
		if i >= 0 {
			k = i + 1
		}
		k = max(k, 1)
		blank = blank && len(bytes.Trim(buf[:k], "\r\n")) == 0
		br.Discard(k)
		skipped += int64(k)
	}
}

// warcHeader is what newsgraph reads of a record's header before gowarc parses it.
type warcHeader struct {
	raw         []byte // the bytes peeked
	headerLen   int    // up to the block
	length      int64
	hasLength   bool
	lengths     int // Content-Length fields
	typ, uri    string
	contentType string
}

// parseWARCHeader reads the header at the start of b; ok is false when it does not end within b.
// A line that starts with a space or tab continues the field before it, as gowarc reads it.
func parseWARCHeader(b []byte) (warcHeader, bool) {
	h := warcHeader{raw: b}
	first := true
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return h, false
		}
		line := bytes.TrimRight(b[i:i+j], "\r")
		i += j + 1
		if first {
			first = false
			continue
		}
		if len(line) == 0 {
			h.headerLen = i
			return h, true
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // a continuation: no field of ours is long enough to need one
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch strings.ToLower(string(bytes.TrimSpace(k))) {
		case "content-length":
			h.lengths++
			n, err := strconv.ParseInt(string(v), 10, 64)
			h.length, h.hasLength = n, err == nil
		case "warc-type":
			h.typ = string(v)
		case "warc-target-uri":
			h.uri = string(v)
		case "content-type":
			h.contentType = string(v)
		}
	}
	return h, false
}

// unmarshal parses one record, turning a panic in the parser (hostile input) into an error.
func unmarshal(u gowarc.Unmarshaler, br *bufio.Reader) (rec gowarc.WarcRecord, val []error, err error) {
	defer func() {
		if p := recover(); p != nil {
			rec, val, err = nil, nil, fmt.Errorf("the WARC parser failed: %v", p)
		}
	}()
	rec, _, val, err = u.Unmarshal(br)
	if err == nil && rec == nil {
		err = errors.New("no record")
	}
	return rec, val, err
}

// classifyWARC sorts gowarc's findings on a record whose length and marker newsgraph has checked
// into problems, which mean the record is not what its header says (its length as gowarc reads the
// header), and warnings.
func classifyWARC(val []error) (problems, warnings []string) {
	for _, v := range val {
		var cl *gowarc.ContentLengthError
		msg := trimWarcErr(v).Error()
		switch {
		case errors.As(v, &cl):
			problems = append(problems, fmt.Sprintf("Content-Length %d as the parser reads the header, but the block holds %d bytes", cl.Expected, cl.Actual))
		case strings.Contains(msg, "end of record"), strings.Contains(msg, "bytes after expected offset"):
			// newsgraph checks the marker, and finds record starts, itself.
		default:
			warnings = append(warnings, msg)
		}
	}
	return problems, warnings
}

// trimWarcErr drops gowarc's "gowarc: " prefix.
func trimWarcErr(err error) error {
	if m := err.Error(); strings.HasPrefix(m, "gowarc: ") {
		return errors.New(strings.TrimPrefix(m, "gowarc: "))
	}
	return err
}

func isDecompressErr(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
		return true
	}
	return strings.Contains(err.Error(), "flate: ")
}

// warcItem turns one WARC record into an article item; ok is false for records that hold no page.
func warcItem(path string, n int, wr gowarc.WarcRecord, opts Options) (Item, bool) {
	uri := strings.Trim(wr.WarcHeader().Get(gowarc.WarcTargetURI), "<>")
	fail := func(op string, err error) (Item, bool) {
		name := path
		if uri != "" {
			name = path + " (" + uri + ")"
		}
		return Item{Err: inputErr(op, name, n, -1, err)}, true
	}
	var body io.Reader
	contentType := ""
	switch wr.Type() {
	case gowarc.Response:
		hb, ok := wr.Block().(gowarc.HttpResponseBlock)
		if !ok || hb.HttpStatusCode() != 200 {
			return Item{}, false
		}
		h := hb.HttpHeader()
		if h == nil || !isHTMLType(h.Get("Content-Type")) {
			return Item{}, false
		}
		p, err := hb.PayloadBytes()
		if err != nil {
			return fail("read", err)
		}
		body, contentType = p, h.Get("Content-Type")
		if strings.EqualFold(h.Get("Transfer-Encoding"), "chunked") {
			body = httputil.NewChunkedReader(body)
		}
		switch strings.ToLower(h.Get("Content-Encoding")) {
		case "", "identity":
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(body)
			if err != nil {
				return fail("decompress", err)
			}
			defer zr.Close()
			body = zr
		default:
			return fail("decompress", fmt.Errorf("content encoding %q is not supported", h.Get("Content-Encoding")))
		}
	case gowarc.Resource:
		if !isHTMLType(wr.WarcHeader().Get(gowarc.ContentType)) {
			return Item{}, false
		}
		p, err := wr.Block().RawBytes()
		if err != nil {
			return fail("read", err)
		}
		body, contentType = p, wr.WarcHeader().Get(gowarc.ContentType)
	default:
		return Item{}, false
	}
	b, err := io.ReadAll(io.LimitReader(body, opts.MaxBytes+1))
	if err != nil {
		return fail("read", err)
	}
	if int64(len(b)) > opts.MaxBytes {
		return fail("read", fmt.Errorf("%w (more than %d bytes)", newsgraph.ErrTooLarge, opts.MaxBytes))
	}
	it := PendingPage(path, n, b, uri, contentType, newsgraph.Meta{})
	it.Meta.Input.Format = kindWARC
	return it, true
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}
