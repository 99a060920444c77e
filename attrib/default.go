package attrib

import (
	"sync"

	"github.com/newsgraph/newsgraph/models"
)

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the built-in model (models/attrib/model.bin), loaded once per process, on first
// use.
func Default() (*Model, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = LoadBytes(models.Attrib)
	})
	return defaultModel, defaultErr
}
