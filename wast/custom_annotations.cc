// Placement checks of @custom, @name and @metadata.code.branch_hint (see
// custom_annotations.h). One pass over the tokens with an explicit stack of
// open forms (no recursion, so nesting depth is not a concern).
#include "wast/custom_annotations.h"

#include "wast/strings.h"
#include "wast/wat_module.h"

#include <string>
#include <vector>

namespace tandem::wast {
namespace {

// Forms whose name @name may give (right after the keyword and $id).
bool nameable(std::string_view kw) {
  static const std::string_view kForms[] = {
      "module", "func", "param", "local", "type",  "field", "global", "table",
      "memory", "tag",  "elem",  "data",  "block", "loop",  "if",     "try_table"};
  for (std::string_view f : kForms)
    if (kw == f) return true;
  return false;
}

struct Form {
  std::string_view keyword; // empty for the bare field list and unnamed forms
  uint32_t items = 0;       // tokens and forms after the keyword (annotations excluded)
  bool first_is_id = false; // the first item is a $id
  bool named = false;       // a @name annotation was seen
};

class Checker {
public:
  explicit Checker(std::span<const Token> in) : in_(in) {}

  Status run() {
    bool module_form = is_module_form(in_);
    // The bare field list is the module itself.
    if (!module_form) forms_.push_back(Form{"module"});
    size_t field_depth = 1;
    for (size_t i = 0; i < in_.size(); ++i) {
      const Token& t = in_[i];
      switch (t.kind) {
      case TokKind::Eof: return {};
      case TokKind::LParenAnnot: {
        TANDEM_TRY(annotation(t, field_depth));
        i = group_end(in_, i);
        break;
      }
      case TokKind::LParen: {
        count_item(false);
        hint_pending_ = false;
        Form f;
        if (i + 1 < in_.size() && in_[i + 1].kind == TokKind::Keyword) {
          f.keyword = in_[i + 1].text;
          ++i;
        }
        forms_.push_back(f);
        break;
      }
      case TokKind::RParen:
        if (!forms_.empty()) forms_.pop_back();
        break;
      default:
        count_item(t.kind == TokKind::Id);
        if (t.kind == TokKind::Keyword) hint_pending_ = false;
        break;
      }
    }
    return {};
  }

private:
  void count_item(bool is_id) {
    if (forms_.empty()) return;
    Form& f = forms_.back();
    if (f.items == 0) f.first_is_id = is_id;
    ++f.items;
  }

  bool in_function() const {
    for (const Form& f : forms_)
      if (f.keyword == "func") return true;
    return false;
  }

  Status annotation(const Token& t, size_t field_depth) {
    TANDEM_ASSIGN(std::string id, decode_annotation_id(t));
    if (id == "custom") {
      if (forms_.size() != field_depth) return error_at(t, "misplaced @custom annotation");
      return {};
    }
    if (id == "name") {
      if (forms_.empty()) return error_at(t, "misplaced @name annotation");
      Form& f = forms_.back();
      bool at_start = f.items == 0 || (f.items == 1 && f.first_is_id);
      if (!nameable(f.keyword) || !at_start) return error_at(t, "misplaced @name annotation");
      if (f.named) {
        if (f.keyword == "module") return error_at(t, "@name annotation: multiple module");
        return error_at(t, "@name annotation: multiple names");
      }
      f.named = true;
      return {};
    }
    if (id == "metadata.code.branch_hint") {
      if (!in_function())
        return error_at(t, "@metadata.code.branch_hint annotation: not in a function");
      if (hint_pending_)
        return error_at(t, "@metadata.code.branch_hint annotation: duplicate annotation");
      hint_pending_ = true;
    }
    return {};
  }

  std::span<const Token> in_;
  std::vector<Form> forms_;
  bool hint_pending_ = false; // a branch hint waits for its instruction
};

} // namespace

Status check_custom_annotations(std::span<const Token> tokens) {
  return Checker(tokens).run();
}

Status check_custom_annotations_text(std::string_view text) {
  TANDEM_ASSIGN(std::vector<Token> toks, lex(text));
  return check_custom_annotations(toks);
}

} // namespace tandem::wast
