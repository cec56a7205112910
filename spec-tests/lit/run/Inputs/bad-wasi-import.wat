(module (import "wasi_snapshot_preview1" "no_such_function" (func)) (func (export "_start")))
