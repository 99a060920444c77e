package attrib

import (
	"sync"

	"github.com/newsgraph/newsgraph/models"
)

// Default returns the built-in model (models/attrib/model.bin), loaded once per process, on first
// use.
func Default() (*Model, error) { return loadDefault() }

var loadDefault = sync.OnceValues(func() (*Model, error) { return LoadBytes(models.Attrib) })
