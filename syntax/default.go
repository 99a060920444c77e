package syntax

import (
	"sync"

	"github.com/newsgraph/newsgraph/models"
)

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the built-in model (models/syntax/model.bin), loaded once per process, on first
// use.
func Default() (*Model, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = LoadBytes(models.Syntax)
	})
	return defaultModel, defaultErr
}
