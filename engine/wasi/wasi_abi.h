// The WASI preview1 ABI as Tandem's host sees it: errno values, file types,
// flags, rights bits, and the byte layouts of the structures the guest passes
// through linear memory (all little-endian, offsets from the spec's witx).
#pragma once

#include <cstdint>

namespace tandem::wasi::abi {

// errno (witx `errno`, u16). Only the values the host produces are named.
inline constexpr uint16_t kSuccess = 0;
inline constexpr uint16_t k2Big = 1;
inline constexpr uint16_t kAcces = 2;
inline constexpr uint16_t kAgain = 6;
inline constexpr uint16_t kBadf = 8;
inline constexpr uint16_t kBusy = 10;
inline constexpr uint16_t kExist = 20;
inline constexpr uint16_t kFault = 21;
inline constexpr uint16_t kFbig = 22;
inline constexpr uint16_t kIntr = 27;
inline constexpr uint16_t kInval = 28;
inline constexpr uint16_t kIo = 29;
inline constexpr uint16_t kIsdir = 31;
inline constexpr uint16_t kLoop = 32;
inline constexpr uint16_t kMfile = 33;
inline constexpr uint16_t kMlink = 34;
inline constexpr uint16_t kNametoolong = 37;
inline constexpr uint16_t kNfile = 41;
inline constexpr uint16_t kNodev = 43;
inline constexpr uint16_t kNoent = 44;
inline constexpr uint16_t kNomem = 48;
inline constexpr uint16_t kNospc = 51;
inline constexpr uint16_t kNosys = 52;
inline constexpr uint16_t kNotdir = 54;
inline constexpr uint16_t kNotempty = 55;
inline constexpr uint16_t kNotsup = 58;
inline constexpr uint16_t kNotty = 59;
inline constexpr uint16_t kNxio = 60;
inline constexpr uint16_t kOverflow = 61;
inline constexpr uint16_t kPerm = 63;
inline constexpr uint16_t kPipe = 64;
inline constexpr uint16_t kRofs = 69;
inline constexpr uint16_t kSpipe = 70;
inline constexpr uint16_t kTxtbsy = 74;
inline constexpr uint16_t kXdev = 75;
inline constexpr uint16_t kNotcapable = 76;

// filetype (u8)
inline constexpr uint8_t kUnknown = 0;
inline constexpr uint8_t kBlockDevice = 1;
inline constexpr uint8_t kCharacterDevice = 2;
inline constexpr uint8_t kDirectory = 3;
inline constexpr uint8_t kRegularFile = 4;
inline constexpr uint8_t kSocketDgram = 5;
inline constexpr uint8_t kSocketStream = 6;
inline constexpr uint8_t kSymbolicLink = 7;

// whence (u8)
inline constexpr uint8_t kWhenceSet = 0, kWhenceCur = 1, kWhenceEnd = 2;
// oflags (u16)
inline constexpr uint16_t kOflagCreat = 1, kOflagDirectory = 2, kOflagExcl = 4, kOflagTrunc = 8;
// fdflags (u16)
inline constexpr uint16_t kFdflagAppend = 1, kFdflagDsync = 2, kFdflagNonblock = 4,
                          kFdflagRsync = 8, kFdflagSync = 16;
// lookupflags (u32)
inline constexpr uint32_t kLookupSymlinkFollow = 1;
// rights (u64): the bits the host looks at.
inline constexpr uint64_t kRightFdRead = 1ull << 1, kRightFdSeek = 1ull << 2,
                          kRightFdTell = 1ull << 5, kRightFdWrite = 1ull << 6;
inline constexpr uint64_t kAllRights = (1ull << 30) - 1;
// clockid (u32)
inline constexpr uint32_t kClockRealtime = 0, kClockMonotonic = 1, kClockProcessCputime = 2,
                          kClockThreadCputime = 3;
// eventtype (u8) and subclockflags (u16)
inline constexpr uint8_t kEventClock = 0, kEventFdRead = 1, kEventFdWrite = 2;
inline constexpr uint16_t kSubclockAbstime = 1;
// preopentype (u8)
inline constexpr uint8_t kPreopenDir = 0;

// Structure sizes and field offsets.
inline constexpr uint32_t kIovecSize = 8;     // buf u32 @0, len u32 @4
inline constexpr uint32_t kFdstatSize = 24;   // filetype u8 @0, flags u16 @2, rights u64 @8, @16
inline constexpr uint32_t kFilestatSize = 64; // dev @0 ino @8 type u8 @16 nlink @24 size @32
                                              // atim @40 mtim @48 ctim @56
inline constexpr uint32_t kPrestatSize = 8;   // tag u8 @0, name_len u32 @4
inline constexpr uint32_t kDirentSize = 24; // next u64 @0, ino u64 @8, namlen u32 @16, type u8 @20
inline constexpr uint32_t kSubscriptionSize = 48; // userdata u64 @0, tag u8 @8, clock id u32 @16,
                                                  // timeout u64 @24, precision u64 @32, flags u16
                                                  // @40 fd u32 @16 for fd_read/fd_write
inline constexpr uint32_t kEventSize = 32; // userdata u64 @0, error u16 @8, type u8 @10,
                                           // nbytes u64 @16, flags u16 @24

} // namespace tandem::wasi::abi
