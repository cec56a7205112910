(module
  (export "a
)
