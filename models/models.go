// Package models embeds the trained models that ship inside the binary. Each has a README beside it
// saying what data and which command produced it.
package models

import _ "embed"

// NER is the named-entity model (models/ner/README.md).
//
//go:embed ner/model.bin
var NER []byte
