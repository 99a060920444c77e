package clean

import (
	"strings"
	"unicode"

	"github.com/RadhiFadlillah/whatlanggo"
)

// englishWords are frequent English function words: in English news about one word in four is
// one of them (in every one of the 2,225 BBC articles at least one in eight), in other languages
// written in Latin letters few are.
var englishWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the of and to a in is that for on it with as was at by he be from
		has have are his said an not this but they its were been which who will would their had or
		after more than we one about up out there what when new also over into i you she her`) {
		m[w] = true
	}
	return m
}()

// distinctlyEnglish are function words other languages written in Latin letters seldom have
// ("a", "as", "no" and "he" they do).
var distinctlyEnglish = map[string]bool{"the": true, "and": true, "of": true, "to": true, "is": true, "was": true,
	"that": true, "for": true, "with": true, "have": true, "has": true, "this": true, "said": true,
	"which": true, "would": true, "were": true, "their": true, "from": true, "been": true}

// Language detection reads at most this many words and bytes of the article's text.
const (
	langWords = 200
	langBytes = 2000
)

// Language returns the ISO 639-1 code of the language a text is written in ("en", "it", "ko"),
// and whether the detector is sure of it. English text is recognised by its function words
// without the detector (a quick test that keeps the cost off nearly every article); other text
// goes to a trigram detector (whatlanggo, the one go-trafilatura uses), whose answer stands when
// most letters are of another script than Latin, or, in running text (fifteen words or more, few
// figures), when its confidence reaches 0.8, or 0.5 where the words hold hardly an English function
// word; the text needs 40 letters, and a table of figures is never taken for another language. Otherwise it is taken for English, the language the models read, and sure
// is false.
func Language(text string) (code string, sure bool) {
	code, _, sure = detectLanguage(text)
	return code, sure
}

// detectLanguage is Language with the language's English name.
func detectLanguage(text string) (string, string, bool) {
	if len(text) > langBytes {
		text = text[:langBytes]
	}
	// One pass, without allocating: words (runs of letters and apostrophes), their letters (Latin
	// or not), digits, and the English function words among the first langWords words.
	words, english, distinct, letters, latin, digits := 0, 0, 0, 0, 0, 0
	var buf [16]byte
	n, long := 0, false // the word so far, lower-cased ASCII (long: not one of the short words)
	inWord := false
	end := func() {
		if !inWord {
			return
		}
		inWord = false
		if words++; words > langWords || long {
			return
		}
		if w := buf[:n]; englishWords[string(w)] {
			english++
			if distinctlyEnglish[string(w)] {
				distinct++
			}
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || r == '\'' && inWord:
			if !inWord {
				inWord, n, long = true, 0, false
			}
			if r != '\'' {
				letters++
				if r < 0x250 {
					latin++
				}
			}
			switch {
			case r < 0x80 && n < len(buf):
				buf[n] = byte(unicode.ToLower(r))
				n++
			default:
				long = true
			}
		default:
			end()
			if r >= '0' && r <= '9' {
				digits++
			}
		}
	}
	end()
	if words >= 8 && 8*english >= words {
		return "en", "English", true
	}
	if letters < 40 || 3*digits > letters {
		// Too little to tell, or a table of figures ("Shr 22 cts vs 17 cts Net 1,232,000"),
		// whose abbreviations a detector takes for any language.
		return "en", "English", false
	}
	info := whatlanggo.Detect(text)
	code := info.Lang.Iso6391()
	switch {
	case code == "" || code == "en":
	case info.Confidence >= whatlanggo.ReliableConfidenceThreshold && (words >= 15 && 8*digits < letters || 2*latin < letters),
		// Mostly letters of another script: not English, whichever language it is.
		2*latin < letters,
		// Latin letters, hardly an English function word, and a detector that leans one way.
		words >= 15 && 20*distinct < words && info.Confidence >= 0.5 && 8*digits < letters:
		return code, info.Lang.String(), true
	}
	return "en", "English", false
}
