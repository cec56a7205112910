// FuncValidator: reference instructions, casts and the GC struct/array
// instructions, with the custom-descriptors additions: exact reference
// types (allocations and ref.func of defined functions produce exact
// references when the feature is on), struct.new_desc, ref.get_desc,
// ref.cast_desc_eq and br_on_cast_desc_eq(_fail).
#include "validator/func_validator.h"

namespace tandem {
namespace {

ValType ref_to(uint32_t type_index, bool nullable, bool exact = false) {
  return ValType::ref(HeapType::index(type_index, false, exact), nullable);
}

bool is_bot(ValType t) {
  return t.kind() == ValKind::Bot;
}

} // namespace

Result<const CompositeType*> FuncValidator::struct_type(uint32_t x) const {
  if (x >= types_.size()) return err("unknown type " + std::to_string(x));
  if (!types_.is_struct(x))
    return err("type mismatch: type " + std::to_string(x) + " is not a struct");
  return &types_.type(x).comp;
}

Result<const CompositeType*> FuncValidator::array_type(uint32_t x) const {
  if (x >= types_.size()) return err("unknown type " + std::to_string(x));
  if (!types_.is_array(x))
    return err("type mismatch: type " + std::to_string(x) + " is not an array");
  return &types_.type(x).comp;
}

Status FuncValidator::ref_on_none(Op op) {
  switch (op) {
  case Op::ref_is_null: {
    TANDEM_TRY(pop_ref());
    push(kI32);
    return {};
  }
  case Op::ref_as_non_null: {
    TANDEM_ASSIGN(ValType t, pop_ref());
    push(is_bot(t) ? t : ValType::ref(t.heap(), false));
    return {};
  }
  case Op::ref_eq: {
    ValType eq = ValType::ref_null(AbsHeap::Eq);
    ValType operands[] = {eq, eq};
    TANDEM_TRY(pop(operands));
    push(kI32);
    return {};
  }
  case Op::array_len: {
    TANDEM_TRY(pop(ValType::ref_null(AbsHeap::Array)));
    push(kI32);
    return {};
  }
  case Op::any_convert_extern:
  case Op::extern_convert_any: {
    bool to_any = op == Op::any_convert_extern;
    ValType from = ValType::ref_null(to_any ? AbsHeap::Extern : AbsHeap::Any);
    TANDEM_ASSIGN(ValType t, pop_ref());
    if (!types_.subtype(t, from))
      return mismatch(std::span<const ValType>(&from, 1), stack_.size());
    bool nullable = is_bot(t) || t.nullable();
    push(ValType::ref(HeapType::abstract(to_any ? AbsHeap::Any : AbsHeap::Extern), nullable));
    return {};
  }
  case Op::ref_i31: {
    TANDEM_TRY(pop(kI32));
    push(ValType::ref(HeapType::abstract(AbsHeap::I31), false));
    return {};
  }
  case Op::i31_get_s:
  case Op::i31_get_u: {
    TANDEM_TRY(pop(ValType::ref_null(AbsHeap::I31)));
    push(kI32);
    return {};
  }
  default: break;
  }
  return err("unhandled instruction " + std::string(op_name(op)));
}

Status FuncValidator::cast(Op op, ValType target) {
  TANDEM_TRY(check_heap(target.heap()));
  TANDEM_TRY(pop(ValType::ref(types_.top_of(target.heap()), true)));
  if (op == Op::ref_test || op == Op::ref_test_null)
    push(kI32);
  else
    push(target);
  return {};
}

Status FuncValidator::on(Op op, const HeapTypeImm& imm, const OpSig&) {
  switch (op) {
  case Op::ref_null:
    TANDEM_TRY(check_heap(imm.type));
    push(ValType::ref(imm.type, true));
    return {};
  case Op::ref_test:
  case Op::ref_cast: return cast(op, ValType::ref(imm.type, false));
  case Op::ref_test_null:
  case Op::ref_cast_null: return cast(op, ValType::ref(imm.type, true));
  case Op::ref_cast_desc_eq: return ref_cast_desc_eq(ValType::ref(imm.type, false));
  case Op::ref_cast_desc_eq_null: return ref_cast_desc_eq(ValType::ref(imm.type, true));
  default: return unsupported(op_info(op).feature);
  }
}

Status FuncValidator::on(Op op, const BrOnCastImm& imm, const OpSig&) {
  bool desc = op == Op::br_on_cast_desc_eq || op == Op::br_on_cast_desc_eq_fail;
  bool on_fail = op == Op::br_on_cast_fail || op == Op::br_on_cast_desc_eq_fail;
  TANDEM_TRY(check_heap(imm.from.heap()));
  TANDEM_TRY(check_heap(imm.to.heap()));
  TANDEM_TRY(check_label(imm.label));
  // With custom-descriptors the target only has to share the operand's
  // hierarchy; the value that passes the cast has the meet of both types.
  bool relaxed = env_.features.has(Feature::custom_descriptors);
  ValType meet = imm.to;
  if (relaxed) {
    if (!types_.heap_subtype(imm.to.heap(), types_.top_of(imm.from.heap())))
      return err("type mismatch: cast target is not in the operand's hierarchy");
    meet = ValType::ref(imm.to.heap(), imm.from.nullable() && imm.to.nullable());
  } else if (!types_.subtype(imm.to, imm.from)) {
    return err("type mismatch: cast target is not a subtype of the operand type");
  }
  std::optional<ValType> desc_type;
  if (desc) {
    TANDEM_ASSIGN(uint32_t y, descriptor_of(imm.to.heap()));
    desc_type = ref_to(y, true, imm.to.heap().exact());
  }
  std::span<const ValType> lt = label_types(label(imm.label));
  if (lt.empty() || (!lt.back().is_ref() && !is_bot(lt.back())))
    return err("type mismatch: br_on_cast target must take a reference");
  std::vector<ValType> rest(lt.begin(), lt.end() - 1);
  ValType target = lt.back();
  ValType diff = imm.to.nullable() ? ValType::ref(imm.from.heap(), false) : imm.from;
  ValType taken = on_fail ? diff : meet;
  ValType kept = on_fail ? meet : diff;
  if (!types_.subtype(taken, target)) return err("type mismatch: br_on_cast label type");
  if (desc_type) TANDEM_TRY(pop(*desc_type));
  TANDEM_TRY(pop(imm.from));
  TANDEM_TRY(pop(rest));
  push(rest);
  push(kept);
  return {};
}

// The descriptor type of the heap type a descriptor cast targets.
Result<uint32_t> FuncValidator::descriptor_of(HeapType h) const {
  if (h.is_abstract()) {
    std::string name = valtype_name(ValType::ref(h, false)); // "(ref any)"
    return err("type " + name.substr(5, name.size() - 6) + " does not have a descriptor");
  }
  uint32_t x = h.type_index();
  if (x >= types_.size()) return err("unknown type " + std::to_string(x));
  const SubType& st = types_.type(x);
  if (!st.descriptor) return err("type " + std::to_string(x) + " does not have a descriptor");
  return *st.descriptor;
}

Status FuncValidator::ref_cast_desc_eq(ValType target) {
  TANDEM_TRY(check_heap(target.heap()));
  TANDEM_ASSIGN(uint32_t y, descriptor_of(target.heap()));
  TANDEM_TRY(pop(ref_to(y, true, target.heap().exact())));
  TANDEM_TRY(pop(ValType::ref(types_.top_of(target.heap()), true)));
  push(target);
  return {};
}

Status FuncValidator::struct_new_desc(Op op, uint32_t x) {
  TANDEM_ASSIGN(const CompositeType* ct, struct_type(x));
  const SubType& st = types_.type(x);
  if (!st.descriptor) return err("type without descriptor requires non-descriptor allocation");
  TANDEM_TRY(pop(ref_to(*st.descriptor, true, true)));
  if (op == Op::struct_new_desc) {
    std::vector<ValType> fields;
    for (const FieldType& f : ct->fields) fields.push_back(f.storage.type);
    TANDEM_TRY(pop(fields));
  } else {
    for (const FieldType& f : ct->fields)
      if (!TypeContext::defaultable(f.storage.type))
        return err("type mismatch: struct.new_default_desc of a non-defaultable field");
  }
  push(ref_to(x, false, true));
  return {};
}

Status FuncValidator::ref_get_desc(uint32_t x) {
  if (x >= types_.size()) return err("unknown type " + std::to_string(x));
  const SubType& st = types_.type(x);
  if (!st.descriptor) return err("type without descriptor");
  // An exact operand (or a bottom one) gives the exact descriptor type.
  ValType exact_operand = ref_to(x, true, true);
  TANDEM_ASSIGN(ValType t, pop_ref());
  bool exact = types_.subtype(t, exact_operand);
  if (!exact) {
    push(t);
    TANDEM_TRY(pop(ref_to(x, true)));
  }
  push(ref_to(*st.descriptor, false, exact));
  return {};
}

Status FuncValidator::gc_on_index(Op op, uint32_t x) {
  switch (op) {
  case Op::ref_func: {
    if (x >= m_.funcs.size()) return err("unknown function " + std::to_string(x));
    if (!const_expr_ && (x >= env_.declared_funcs.size() || !env_.declared_funcs[x]))
      return err("undeclared function reference");
    bool inexact = x < env_.inexact_funcs.size() && env_.inexact_funcs[x];
    push(ref_to(m_.funcs[x], false, exact_results() && !inexact));
    return {};
  }
  case Op::struct_new_desc:
  case Op::struct_new_default_desc: return struct_new_desc(op, x);
  case Op::ref_get_desc: return ref_get_desc(x);
  case Op::struct_new:
  case Op::struct_new_default: {
    TANDEM_ASSIGN(const CompositeType* ct, struct_type(x));
    if (types_.type(x).descriptor)
      return err("type with descriptor requires descriptor allocation");
    if (op == Op::struct_new) {
      std::vector<ValType> fields;
      for (const FieldType& f : ct->fields) fields.push_back(f.storage.type);
      TANDEM_TRY(pop(fields));
    } else {
      for (const FieldType& f : ct->fields)
        if (!TypeContext::defaultable(f.storage.type))
          return err("type mismatch: struct.new_default of a non-defaultable field");
    }
    push(ref_to(x, false, exact_results()));
    return {};
  }
  case Op::array_new:
  case Op::array_new_default: {
    TANDEM_ASSIGN(const CompositeType* ct, array_type(x));
    ValType elem = ct->fields[0].storage.type;
    if (op == Op::array_new) {
      ValType operands[] = {elem, kI32};
      TANDEM_TRY(pop(operands));
    } else {
      if (!TypeContext::defaultable(elem))
        return err("type mismatch: array.new_default of a non-defaultable element");
      TANDEM_TRY(pop(kI32));
    }
    push(ref_to(x, false, exact_results()));
    return {};
  }
  case Op::array_get:
  case Op::array_get_s:
  case Op::array_get_u: {
    TANDEM_ASSIGN(const CompositeType* ct, array_type(x));
    const FieldType& f = ct->fields[0];
    bool packed = f.storage.packed != Packed::None;
    if (packed != (op != Op::array_get))
      return err("type mismatch: wrong array.get for the element");
    ValType operands[] = {ref_to(x, true), kI32};
    TANDEM_TRY(pop(operands));
    push(f.storage.type);
    return {};
  }
  case Op::array_set: {
    TANDEM_ASSIGN(const CompositeType* ct, array_type(x));
    if (!ct->fields[0].mut) return err("immutable array");
    ValType operands[] = {ref_to(x, true), kI32, ct->fields[0].storage.type};
    return pop(operands);
  }
  case Op::array_fill: {
    TANDEM_ASSIGN(const CompositeType* ct, array_type(x));
    if (!ct->fields[0].mut) return err("immutable array");
    ValType operands[] = {ref_to(x, true), kI32, ct->fields[0].storage.type, kI32};
    return pop(operands);
  }
  default: break;
  }
  return unsupported(op_info(op).feature);
}

Status FuncValidator::on(Op op, const TypeFieldImm& imm, const OpSig&) {
  TANDEM_ASSIGN(const CompositeType* ct, struct_type(imm.type_index));
  if (imm.field >= ct->fields.size()) return err("unknown field " + std::to_string(imm.field));
  const FieldType& f = ct->fields[imm.field];
  if (op == Op::struct_set) {
    if (!f.mut) return err("immutable field");
    ValType operands[] = {ref_to(imm.type_index, true), f.storage.type};
    return pop(operands);
  }
  bool packed = f.storage.packed != Packed::None;
  if (packed != (op != Op::struct_get)) return err("type mismatch: wrong struct.get for the field");
  TANDEM_TRY(pop(ref_to(imm.type_index, true)));
  push(f.storage.type);
  return {};
}

Status FuncValidator::on(Op op, const TypeTypeImm& imm, const OpSig&) {
  // array.copy
  TANDEM_ASSIGN(const CompositeType* dst, array_type(imm.dst_type));
  TANDEM_ASSIGN(const CompositeType* src, array_type(imm.src_type));
  if (!dst->fields[0].mut) return err("immutable array");
  if (!types_.storage_subtype(src->fields[0].storage, dst->fields[0].storage))
    return err("array types do not match");
  ValType operands[] = {ref_to(imm.dst_type, true), kI32, ref_to(imm.src_type, true), kI32, kI32};
  return pop(operands);
}

Status FuncValidator::on(Op op, const TypeSegmentImm& imm, const OpSig&) {
  TANDEM_ASSIGN(const CompositeType* ct, array_type(imm.type_index));
  const FieldType& f = ct->fields[0];
  bool data = op == Op::array_new_data || op == Op::array_init_data;
  if (data) {
    if (f.storage.type.is_ref()) return err("array type is not numeric or vector");
    TANDEM_TRY(check_data(imm.segment));
  } else {
    TANDEM_TRY(check_elem(imm.segment));
    if (!types_.subtype(m_.elems[imm.segment].type, f.storage.type))
      return err("type mismatch: element segment does not match the array");
  }
  if (op == Op::array_new_data || op == Op::array_new_elem) {
    ValType operands[] = {kI32, kI32};
    TANDEM_TRY(pop(operands));
    push(ref_to(imm.type_index, false, exact_results()));
    return {};
  }
  if (!f.mut) return err("immutable array");
  ValType operands[] = {ref_to(imm.type_index, true), kI32, kI32, kI32};
  return pop(operands);
}

Status FuncValidator::on(Op op, const TypeLenImm& imm, const OpSig&) {
  // array.new_fixed
  TANDEM_ASSIGN(const CompositeType* ct, array_type(imm.type_index));
  const Ctrl& c = ctrls_.back();
  size_t avail = stack_.size() - c.height;
  ValType elem = ct->fields[0].storage.type;
  if (imm.length > avail && !c.unreachable) {
    std::vector<ValType> want(std::min<size_t>(imm.length, avail + 1), elem);
    return mismatch(want, c.height);
  }
  for (size_t i = 0, n = std::min<size_t>(imm.length, avail); i < n; ++i) TANDEM_TRY(pop(elem));
  push(ref_to(imm.type_index, false, exact_results()));
  return {};
}

} // namespace tandem
