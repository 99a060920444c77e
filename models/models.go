// Package models embeds the trained models that ship inside the binary. Each has a README beside it
// saying what data and which command produced it.
package models

import _ "embed"

// NER is the named-entity model (models/ner/README.md).
//
//go:embed ner/model.bin
var NER []byte

// Attrib is the attribution model (models/attrib/README.md).
//
//go:embed attrib/model.bin
var Attrib []byte

// Syntax is the POS tagger and chunker (models/syntax/README.md).
//
//go:embed syntax/model.bin
var Syntax []byte

// Timex is the temporal-expression tagger (models/timex/README.md).
//
//go:embed timex/model.bin
var Timex []byte

// Speakers is the speaker ranker's weights (models/speakers/README.md).
//
//go:embed speakers/weights.tsv
var Speakers string
