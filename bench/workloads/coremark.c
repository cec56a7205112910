/* A CoreMark-like mix (written for Tandem, not CoreMark itself): linked-list
 * reversal and search, small integer matrix operations, a character state
 * machine, and CRC-16 over the results. One iteration touches each part. */
#include "kernels.h"

#define LIST_LEN 64
#define MAT_N 12
#define TEXT_LEN 96

struct node {
  struct node* next;
  int32_t value;
  uint16_t index;
};

static struct node nodes[LIST_LEN];
static int32_t ma[MAT_N * MAT_N], mb[MAT_N * MAT_N], mc[MAT_N * MAT_N];
static char text[TEXT_LEN];

static uint16_t crc16_byte(uint8_t data, uint16_t crc) {
  for (int i = 0; i < 8; ++i) {
    uint8_t x = (uint8_t)((data & 1) ^ (crc & 1));
    data >>= 1;
    crc >>= 1;
    if (x) crc ^= 0xa001;
  }
  return crc;
}

static uint16_t crc16_u32(uint32_t v, uint16_t crc) {
  for (int i = 0; i < 4; ++i) crc = crc16_byte((uint8_t)(v >> (8 * i)), crc);
  return crc;
}

static struct node* list_init(uint32_t seed) {
  for (int i = 0; i < LIST_LEN; ++i) {
    nodes[i].next = i + 1 < LIST_LEN ? &nodes[i + 1] : 0;
    nodes[i].value = (int32_t)((seed * 1103515245u + (uint32_t)i * 12345u) >> 8) & 0xffff;
    nodes[i].index = (uint16_t)i;
  }
  return &nodes[0];
}

static struct node* list_reverse(struct node* head) {
  struct node* prev = 0;
  while (head) {
    struct node* next = head->next;
    head->next = prev;
    prev = head;
    head = next;
  }
  return prev;
}

static uint32_t list_work(uint32_t seed) {
  struct node* head = list_init(seed);
  head = list_reverse(head);
  uint32_t found = 0;
  for (int32_t key = 0; key < 16; ++key) {
    for (struct node* p = head; p; p = p->next)
      if ((p->value & 0xf) == key) {
        found += p->index;
        break;
      }
  }
  head = list_reverse(head);
  return found + (uint32_t)head->value;
}

static uint32_t matrix_work(uint32_t seed) {
  for (int i = 0; i < MAT_N * MAT_N; ++i) {
    ma[i] = (int32_t)((seed + (uint32_t)i) % 23) - 11;
    mb[i] = (int32_t)((seed * 3 + (uint32_t)i) % 19) - 9;
  }
  for (int i = 0; i < MAT_N; ++i)
    for (int j = 0; j < MAT_N; ++j) {
      int32_t s = 0;
      for (int k = 0; k < MAT_N; ++k) s += ma[i * MAT_N + k] * mb[k * MAT_N + j];
      mc[i * MAT_N + j] = s;
    }
  uint32_t acc = 0;
  for (int i = 0; i < MAT_N * MAT_N; ++i) acc += (uint32_t)(mc[i] > 0 ? mc[i] : -mc[i]) ^ (uint32_t)i;
  return acc;
}

enum state { START, INT, FRAC, EXP, INVALID };

static uint32_t state_work(uint32_t seed) {
  static const char alphabet[] = "0123456789.e+-x, ";
  for (int i = 0; i < TEXT_LEN; ++i) text[i] = alphabet[(seed + (uint32_t)i * 7) % 17];
  uint32_t counts[5] = {0, 0, 0, 0, 0};
  enum state s = START;
  for (int i = 0; i < TEXT_LEN; ++i) {
    char c = text[i];
    if (c == ',' || c == ' ') {
      counts[s]++;
      s = START;
      continue;
    }
    switch (s) {
    case START: s = (c >= '0' && c <= '9') ? INT : (c == '.' ? FRAC : INVALID); break;
    case INT: s = (c >= '0' && c <= '9') ? INT : (c == '.' ? FRAC : (c == 'e' ? EXP : INVALID)); break;
    case FRAC: s = (c >= '0' && c <= '9') ? FRAC : (c == 'e' ? EXP : INVALID); break;
    case EXP: s = (c >= '0' && c <= '9') || c == '+' || c == '-' ? EXP : INVALID; break;
    case INVALID: break;
    }
  }
  return counts[0] + counts[1] * 3 + counts[2] * 5 + counts[3] * 7 + counts[4] * 11;
}

uint32_t coremark(uint32_t iterations) {
  uint16_t crc = 0;
  for (uint32_t it = 0; it < iterations; ++it) {
    crc = crc16_u32(list_work(it), crc);
    crc = crc16_u32(matrix_work(it), crc);
    crc = crc16_u32(state_work(it), crc);
  }
  return crc;
}
