package model

// Observatory is the root of the observatory's figures; every figure is a
// resolver, computed only when asked for.
type Observatory struct{}
