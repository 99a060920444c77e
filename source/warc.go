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
// holding every record), or any mix of these: each gzip member is decompressed on its own and may
// hold any number of records.
//
// newsgraph finds each record's start itself and hands the record to gowarc's parser in its
// validating mode, so that every block is read whole (a page is never cut to what a buffer held)
// and its length checked against its Content-Length. Every departure from the format is reported
// with the record's number and byte offset:
//   - a record that cannot be a whole record (a Content-Length that is negative, larger than what
//     follows, or not followed by the end-of-record marker; a header that does not parse; a gzip
//     member cut short or corrupt) is refused, and reading goes on at the next record start after
//     the record's own start, so that a record a wrong length swallowed is still read;
//   - bytes between records that are not a record are reported as such;
//   - smaller violations (a missing or odd header field, a wrong digest, bare line feeds) go with the
//     record's page as warnings, or as a notice when the record holds no page.
//
// A record whose block is larger than the size limit (plus room for its HTTP header) is not read
// into memory: an HTML page in it is refused as too large, any other record is passed over.

// warcHeaderLimit bounds a record's WARC header: a record whose header does not end within it is
// refused.
const warcHeaderLimit = 256 << 10

// warcHTTPRoom is the room a response record's block is allowed beyond the size limit for its
// HTTP header.
const warcHTTPRoom = 1 << 20

// maxRecordWarnings bounds the warnings kept for one record.
const maxRecordWarnings = 8

var warcMagic = []byte("WARC/1.")

type warcReader struct {
	ctx  context.Context
	path string
	opts Options
	fn   func(Item) error
	f    *os.File
	size int64
	u    gowarc.Unmarshaler
	br   *bufio.Reader // reused from segment to segment
	n    int           // records found so far
}

// segment is a run of records: the whole of a plain file, or the data of one gzip member.
type segment struct {
	off  int64 // where it starts in the file
	gz   bool
	size int64 // its size in the file (for a gzip member: -1 until it has been read to its end)
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
			gowarc.WithBufferMaxMemBytes(opts.MaxBytes+warcHTTPRoom)),
		br: bufio.NewReaderSize(nil, warcHeaderLimit+16)}
	if w.size == 0 {
		return fn(Item{Err: inputErr("read", path, 0, -1, fmt.Errorf("%w: an empty web archive", newsgraph.ErrEmpty))})
	}
	var magic [2]byte
	if _, err := f.ReadAt(magic[:], 0); err == nil && magic == [2]byte{0x1f, 0x8b} {
		return w.members()
	}
	_, err = w.segment(segment{off: 0, size: w.size})
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
		end, err := w.segment(segment{off: off, gz: true, size: -1})
		if err != nil {
			return err
		}
		if end > off {
			off = end
			continue
		}
		// Not a gzip member at off, or one that could not be read to its end: go on at the next.
		next := w.resync(off+1, true)
		if end == off { // not gzip data at all (reported by segment when it was a member's damage)
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
	if w.n == 0 {
		return w.fn(Item{Err: inputErr("read", w.path, 0, -1, errors.New("not a web archive: no WARC record found"))})
	}
	return nil
}

// open returns the data of s from byte within (of its decompressed data, for a gzip member), and
// for a gzip member a function giving the file offset just past the member once it has been read
// to its end.
func (w *warcReader) open(s segment, within int64) (io.Reader, func() int64, error) {
	if !s.gz {
		return io.NewSectionReader(w.f, s.off+within, s.size-within), nil, nil
	}
	raw := &countingReader{r: io.NewSectionReader(w.f, s.off, w.size-s.off)}
	rb := bufio.NewReader(raw) // a ByteReader: gzip reads no byte past its member
	zr, err := gzip.NewReader(rb)
	if err != nil {
		return nil, nil, err
	}
	zr.Multistream(false)
	if within > 0 {
		if _, err := io.CopyN(io.Discard, zr, within); err != nil {
			return nil, nil, err
		}
	}
	return zr, func() int64 { return s.off + raw.n - int64(rb.Buffered()) }, nil
}

// segment reads the records of s. For a gzip member it returns the file offset just past it, or
// s.off when s.off holds no gzip data, or -1 when the member could not be read to its end (its
// damage reported); for a plain file, the file's size. The error is fn's or the context's.
func (w *warcReader) segment(s segment) (int64, error) {
	r, memberEnd, err := w.open(s, 0)
	if err != nil {
		return s.off, nil // not gzip data: members reports it
	}
	cr := &countingReader{r: r}
	br := w.br
	br.Reset(cr)
	base := int64(0)                                                  // the decompressed offset cr started at
	pos := func() int64 { return base + cr.n - int64(br.Buffered()) } // where br stands in the segment's data
	resumed := false                                                  // reading goes on after a refused record: what it swallowed is not reported again
	for {
		if err := w.ctx.Err(); err != nil {
			return 0, err
		}
		from := pos()
		skipped, blank, err := skipToRecord(br)
		if skipped > 0 && !resumed {
			if blank {
				if err := w.notice(fmt.Sprintf("%s: %d stray line-end bytes between records (the end-of-record marker is two CRLFs)", w.where(s, 0, from), skipped)); err != nil {
					return 0, err
				}
			} else if err := w.fn(Item{Err: w.errAt(s, 0, from, fmt.Errorf("%d bytes that are not a WARC record", skipped))}); err != nil {
				return 0, err
			}
		}
		resumed = false
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
		n := w.n
		bad, stop, err := w.record(s, n, start, br, pos)
		if err != nil {
			return 0, err
		}
		if stop {
			return -1, nil
		}
		if bad {
			// Go on at the next record start after this one's: reopen the data there.
			r, _, err := w.open(s, start+1)
			if err != nil {
				return -1, nil
			}
			cr = &countingReader{r: r}
			base = start + 1
			br.Reset(cr)
			resumed = true
		}
	}
	if memberEnd != nil {
		return memberEnd(), nil
	}
	return s.size, nil
}

// record reads one record starting at start (br stands at its "WARC/1." line) and passes on its
// page, warnings or refusal. bad reports a refused record (reading goes on after its start); stop,
// a gzip member that cannot be read on.
func (w *warcReader) record(s segment, n int, start int64, br *bufio.Reader, pos func() int64) (bad, stop bool, err error) {
	refuse := func(why error) (bool, bool, error) {
		return true, false, w.fn(Item{Err: w.errAt(s, n, start, why)})
	}
	// The peek may run into damage further on (a gzip member cut short): that is reported when the
	// record's own bytes reach it.
	head, perr := br.Peek(warcHeaderLimit)
	h, ok := parseWARCHeader(head)
	if !ok {
		switch {
		case s.gz && perr != nil && isDecompressErr(perr):
			return false, true, w.fn(Item{Err: w.errAt(s, n, start, gzipErr(perr))})
		case perr != nil && perr != io.EOF:
			return refuse(fmt.Errorf("bad WARC record: %v", perr))
		case len(head) >= warcHeaderLimit:
			return refuse(fmt.Errorf("bad WARC record: its header does not end within %d KB", warcHeaderLimit>>10))
		}
		return refuse(errors.New("bad WARC record: its header does not end (the archive is cut short)"))
	}
	switch {
	case !h.hasLength:
		return refuse(errors.New("bad WARC record: no valid Content-Length"))
	case h.length < 0:
		return refuse(fmt.Errorf("bad WARC record: a negative Content-Length (%d)", h.length))
	case h.length > w.opts.MaxBytes+warcHTTPRoom:
		return w.skipLarge(s, n, start, h, br)
	}
	rec, val, uerr := unmarshal(w.u, br)
	if rec != nil {
		defer rec.Close()
	}
	if uerr != nil {
		if s.gz && isDecompressErr(uerr) {
			return false, true, w.fn(Item{Err: w.errAt(s, n, start, gzipErr(uerr))})
		}
		return refuse(fmt.Errorf("bad WARC record: %v", trimWarcErr(uerr)))
	}
	problems, warnings := classifyWARC(val)
	if len(problems) == 0 && pos()-start == int64(h.headerLen)+h.length {
		// gowarc passed over no end-of-record marker: what follows must be the next record.
		next, _ := br.Peek(14)
		k := 0 // line ends standing for the marker ("\n\n" from some writers)
		for k < 4 && k < len(next) && (next[k] == '\r' || next[k] == '\n') {
			k++
		}
		switch {
		case k == 0 && isVersionLine(next):
			warnings = append(warnings, "no end-of-record marker before the next record")
		case k > 0 && (k == len(next) || isVersionLine(next[k:])):
			warnings = append(warnings, fmt.Sprintf("the end-of-record marker is %q, not two CRLFs", next[:k]))
			br.Discard(k)
		case len(next) > 0:
			problems = append(problems, fmt.Sprintf("no end-of-record marker after its Content-Length of %d bytes: the length is wrong", h.length))
		}
	}
	if len(problems) > 0 {
		return refuse(fmt.Errorf("bad WARC record: %s", strings.Join(problems, "; ")))
	}
	if len(warnings) > maxRecordWarnings {
		warnings = append(warnings[:maxRecordWarnings], fmt.Sprintf("and %d more", len(warnings)-maxRecordWarnings))
	}
	where := w.where(s, n, start)
	it, ok := warcItem(w.path, n, rec, w.opts)
	for _, v := range warnings {
		it.Warnings = append(it.Warnings, where+": "+v)
	}
	if !ok {
		if len(it.Warnings) == 0 {
			return false, false, nil
		}
		it = Item{Warnings: it.Warnings, notice: true}
	}
	return false, false, w.fn(it)
}

// skipLarge passes over a record whose block is over the size limit without reading it into
// memory: an HTML page is refused as too large, another record passed over.
func (w *warcReader) skipLarge(s segment, n int, start int64, h warcHeader, br *bufio.Reader) (bool, bool, error) {
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
	if _, err := br.Discard(h.headerLen); err != nil {
		return true, false, nil
	}
	got, err := io.CopyN(io.Discard, br, h.length)
	if err != nil {
		if s.gz && isDecompressErr(err) {
			return false, true, w.fn(Item{Err: w.errAt(s, n, start, gzipErr(err))})
		}
		return true, false, w.fn(Item{Err: w.errAt(s, n, start, fmt.Errorf("bad WARC record: Content-Length %d, but only %d bytes follow", h.length, got))})
	}
	if m, _ := br.Peek(4); string(m) == "\r\n\r\n" {
		br.Discard(4)
	} else if len(m) > 0 && !bytes.HasPrefix(m, []byte("\n")) && !bytes.HasPrefix(m, []byte("\r\n")) {
		return true, false, w.fn(Item{Err: w.errAt(s, n, start, fmt.Errorf("bad WARC record: no end-of-record marker after its Content-Length of %d bytes: the length is wrong", h.length))})
	}
	if !page {
		return false, false, nil
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
	return false, false, w.fn(Item{Err: inputErr("read", name, n, off, fmt.Errorf("%w (a block of %d bytes > %d)", newsgraph.ErrTooLarge, h.length, w.opts.MaxBytes))})
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

// resync finds the next record start at or after from: a gzip member whose data starts with a
// WARC version line (gz), or a WARC version line. It returns -1 when there is none.
func (w *warcReader) resync(from int64, gz bool) int64 {
	const chunk = 64 << 10
	buf := make([]byte, chunk)
	for pos := from; pos < w.size; {
		k, _ := w.f.ReadAt(buf, pos)
		if k <= 0 {
			return -1
		}
		b := buf[:k]
		for i := 0; i < len(b); {
			var j int
			if gz {
				j = bytes.Index(b[i:], []byte{0x1f, 0x8b, 0x08})
			} else {
				j = bytes.Index(b[i:], warcMagic)
			}
			if j < 0 {
				break
			}
			at := pos + int64(i+j)
			if w.startsRecord(at, gz) {
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

func (w *warcReader) startsRecord(at int64, gz bool) bool {
	var r io.Reader = io.NewSectionReader(w.f, at, w.size-at)
	if gz {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return false
		}
		r = zr
	}
	var line [10]byte
	k, _ := io.ReadFull(r, line[:])
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
	typ, uri    string
	contentType string
}

// parseWARCHeader reads the header at the start of b; ok is false when it does not end within b.
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
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch strings.ToLower(string(bytes.TrimSpace(k))) {
		case "content-length":
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

// classifyWARC sorts gowarc's findings into problems, which mean the record's bytes are not what
// its header says (a wrong length, no end-of-record marker), and warnings.
func classifyWARC(val []error) (problems, warnings []string) {
	for _, v := range val {
		var cl *gowarc.ContentLengthError
		msg := trimWarcErr(v).Error()
		switch {
		case errors.As(v, &cl):
			if cl.Actual < cl.Expected {
				problems = append(problems, fmt.Sprintf("Content-Length %d, but only %d bytes follow (cut short, or the length is wrong)", cl.Expected, cl.Actual))
			} else {
				problems = append(problems, fmt.Sprintf("Content-Length %d, but its block holds %d bytes", cl.Expected, cl.Actual))
			}
		case strings.Contains(msg, "missing carriage return in end of record marker"):
			warnings = append(warnings, "the end-of-record marker has bare line feeds")
		case strings.Contains(msg, "end of record marker") && strings.Contains(msg, `was ""`):
			warnings = append(warnings, "the archive ends without the last record's end-of-record marker")
		case strings.Contains(msg, "end of record"):
			problems = append(problems, "no end-of-record marker after its Content-Length: the length is wrong")
		case strings.Contains(msg, "bytes after expected offset"):
			// newsgraph finds record starts itself and reports what lay between.
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
