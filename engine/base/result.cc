// Names for ErrorKind, used in reports and diagnostics.
#include "base/result.h"

namespace tandem {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::Malformed: return "malformed";
  case ErrorKind::Invalid: return "invalid";
  case ErrorKind::Unlinkable: return "unlinkable";
  case ErrorKind::Trap: return "trap";
  case ErrorKind::Exhaustion: return "exhaustion";
  case ErrorKind::Exception: return "exception";
  case ErrorKind::Unsupported: return "unsupported";
  case ErrorKind::Io: return "io";
  case ErrorKind::Usage: return "usage";
  case ErrorKind::Internal: return "internal";
  }
  return "unknown";
}

} // namespace tandem
