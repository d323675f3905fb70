// SPDX-License-Identifier: Apache-2.0
#include "core/bls_entry.h"

#include <gtest/gtest.h>

#include "fakes/fake_filesystem.h"
#include "os/rooted_filesystem.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using testing::make_test_kernel;
using testing::make_test_uki;

constexpr const char* kFedoraMid = "5c1e7f3a9b2d4e6f8a0b1c2d3e4f5a6b";

BlsEntry parse_ok(std::string_view text, std::string_view path, std::string_view prefix = "/boot") {
  auto entry = parse_bls_entry(text, path, prefix);
  EXPECT_TRUE(entry.ok()) << entry.error().str();
  return entry.ok() ? *entry : BlsEntry{};
}

TEST(BlsEntryTest, ParsesAllKeys) {
  BlsEntry e = parse_ok(
      "# /boot/loader/entries/x.conf\n"
      "title      Fedora Linux (6.6.1-200.fc39.x86_64) 39\n"
      "version\t6.6.1-200.fc39.x86_64\n"
      "machine-id 6a9857a393724b7a981ebb5b8495b9ea\r\n"
      "sort-key   fedora\n"
      "linux      /6a9857a393724b7a981ebb5b8495b9ea/6.6.1-200.fc39.x86_64/linux\n"
      "initrd     /intel-ucode.img\n"
      "initrd     /6a9857a393724b7a981ebb5b8495b9ea/6.6.1-200.fc39.x86_64/initrd\n"
      "options    root=UUID=6d3376e4 quiet\n"
      "  options  rd.luks.uuid=abc   \n"
      "devicetree /dtb/board.dtb\n"
      "architecture x64\n"
      "grub_class fedora\n"
      "unknown-key whatever\n"
      "\n",
      "/boot/loader/entries/6a9857a393724b7a981ebb5b8495b9ea-6.6.1-200.fc39.x86_64.conf");
  EXPECT_EQ(e.entry.origin, EntryOrigin::Bls);
  EXPECT_EQ(e.entry.id, "6a9857a393724b7a981ebb5b8495b9ea-6.6.1-200.fc39.x86_64");
  EXPECT_EQ(e.entry.title, "Fedora Linux (6.6.1-200.fc39.x86_64) 39");
  EXPECT_EQ(e.entry.kernel, "/boot/6a9857a393724b7a981ebb5b8495b9ea/6.6.1-200.fc39.x86_64/linux");
  EXPECT_EQ(e.entry.initrds,
            (std::vector<std::string>{
                "/boot/intel-ucode.img",
                "/boot/6a9857a393724b7a981ebb5b8495b9ea/6.6.1-200.fc39.x86_64/initrd"}));
  EXPECT_EQ(e.entry.options, "root=UUID=6d3376e4 quiet rd.luks.uuid=abc");
  EXPECT_EQ(e.entry.version, "6.6.1-200.fc39.x86_64");
  EXPECT_EQ(e.entry.source_file,
            "/boot/loader/entries/6a9857a393724b7a981ebb5b8495b9ea-6.6.1-200.fc39.x86_64.conf");
  EXPECT_FALSE(e.entry.uki);
  EXPECT_EQ(e.version, "6.6.1-200.fc39.x86_64");
  EXPECT_EQ(e.machine_id, "6a9857a393724b7a981ebb5b8495b9ea");
  EXPECT_EQ(e.sort_key, "fedora");
  EXPECT_EQ(e.devicetree, "/boot/dtb/board.dtb");
  EXPECT_EQ(e.architecture, "x64");
  EXPECT_FALSE(e.tries_left.has_value());
}

TEST(BlsEntryTest, PartitionPrefixes) {
  const std::string text = "linux /vmlinuz-6.1.0\ninitrd initrd.img\n";
  EXPECT_EQ(parse_ok(text, "/efi/loader/entries/a.conf", "/efi").entry.kernel,
            "/efi/vmlinuz-6.1.0");
  EXPECT_EQ(parse_ok(text, "/loader/entries/a.conf", "").entry.kernel, "/vmlinuz-6.1.0");
  BlsEntry nested = parse_ok(text, "/boot/efi/loader/entries/a.conf", "/boot/efi");
  EXPECT_EQ(nested.entry.kernel, "/boot/efi/vmlinuz-6.1.0");
  EXPECT_EQ(nested.entry.initrds, std::vector<std::string>{"/boot/efi/initrd.img"});
  // ".." cannot climb out of the partition; "//" and "." are normalised.
  BlsEntry odd = parse_ok("linux /../../etc/shadow\ninitrd //a/./b//c\n", "/boot/x.conf");
  EXPECT_EQ(odd.entry.kernel, "/boot/etc/shadow");
  EXPECT_EQ(odd.entry.initrds, std::vector<std::string>{"/boot/a/b/c"});
}

TEST(BlsEntryTest, IdAndBootCounting) {
  BlsEntry counted = parse_ok("linux /k\n", "/boot/loader/entries/fedora-6.1+3-1.conf");
  EXPECT_EQ(counted.entry.id, "fedora-6.1");
  EXPECT_EQ(counted.tries_left, 3u);
  EXPECT_EQ(counted.tries_done, 1u);
  BlsEntry bad = parse_ok("linux /k\n", "/boot/loader/entries/fedora-6.1+0-5.conf");
  EXPECT_EQ(bad.entry.id, "fedora-6.1");
  EXPECT_EQ(bad.tries_left, 0u);
  EXPECT_EQ(bad.tries_done, 5u);
  BlsEntry left_only = parse_ok("linux /k\n", "/boot/loader/entries/a+7.conf");
  EXPECT_EQ(left_only.entry.id, "a");
  EXPECT_EQ(left_only.tries_left, 7u);
  EXPECT_EQ(left_only.tries_done, 0u);
  for (const char* name : {"a+x-1.conf", "a+1-.conf", "a+.conf", "c++.conf", "a+1-2-3.conf",
                           "a+99999999999999999999.conf"}) {
    BlsEntry plain = parse_ok("linux /k\n", std::string("/boot/loader/entries/") + name);
    EXPECT_FALSE(plain.tries_left.has_value()) << name;
    EXPECT_EQ(plain.entry.id + ".conf", name);
  }
}

TEST(BlsEntryTest, EfiEntryIsUki) {
  BlsEntry e = parse_ok("title Arch UKI\nefi /EFI/Linux/arch.efi\noptions quiet\n",
                        "/efi/loader/entries/uki.conf", "/efi");
  EXPECT_TRUE(e.entry.uki);
  EXPECT_EQ(e.entry.kernel, "/efi/EFI/Linux/arch.efi");
  EXPECT_EQ(e.entry.options, "quiet");
  // linux wins when both are given.
  BlsEntry both = parse_ok("efi /x.efi\nlinux /vmlinuz-6.1.0\n", "/boot/both.conf");
  EXPECT_FALSE(both.entry.uki);
  EXPECT_EQ(both.entry.kernel, "/boot/vmlinuz-6.1.0");
}

TEST(BlsEntryTest, LastValueWinsAndDefaults) {
  BlsEntry e = parse_ok("title one\ntitle two\nlinux /a\nlinux /b\nversion\n", "/boot/x.conf");
  EXPECT_EQ(e.entry.title, "two");
  EXPECT_EQ(e.entry.kernel, "/boot/b");
  EXPECT_EQ(e.version, "");
  EXPECT_FALSE(e.entry.options.has_value());
  BlsEntry untitled = parse_ok("linux /vmlinuz-6.1.0-9-amd64\n", "/boot/loader/entries/deb.conf");
  EXPECT_EQ(untitled.entry.title, "deb");
  EXPECT_EQ(untitled.entry.version, "6.1.0-9-amd64");  // from the file name
  BlsEntry layout =
      parse_ok("linux /abc/6.5.0-1.fc39.x86_64/linux\nversion 0-rescue\n", "/b/x.conf");
  EXPECT_EQ(layout.entry.version, "6.5.0-1.fc39.x86_64");  // from /<id>/<version>/linux
}

TEST(BlsEntryTest, RejectsBadFiles) {
  auto expect_error = [](std::string_view text, std::string_view needle) {
    auto e = parse_bls_entry(text, "/boot/loader/entries/bad.conf", "/boot");
    ASSERT_FALSE(e.ok()) << text;
    EXPECT_NE(e.error().message.find(needle), std::string::npos) << e.error().str();
    EXPECT_EQ(e.error().file, "/boot/loader/entries/bad.conf");
  };
  expect_error("", "neither");
  expect_error("title no kernel\noptions quiet\n", "neither");
  expect_error("linux\n", "neither");
  expect_error(std::string("linux /k\0\x01\x02", 10), "binary");
  expect_error("linux /k\ntitle \xff\xfe\n", "UTF-8");
  expect_error("title \xc3\n", "UTF-8");  // truncated sequence
  expect_error("title \xed\xa0\x80\xf5\x80\x80\x80\n", "UTF-8");
  EXPECT_TRUE(parse_bls_entry("title Café ☕ 🚀\nlinux /k\n", "/b/u.conf", "/b").ok());
}

TEST(BlsEntryTest, GarbageNeverCrashes) {
  uint32_t state = 7;
  auto next = [&] { return state = state * 1103515245u + 12345u; };
  for (int round = 0; round < 2000; ++round) {
    std::string text(next() % 300, '\0');
    for (char& c : text) c = "linux /initrd\n options\t#+-.\xc3\xa9\x80"[next() % 30];
    auto entry = parse_bls_entry(text, "/boot/loader/entries/r+1-2.conf", "/boot");
    if (entry.ok()) {  // what it found came from the text, and it is named after the file
      EXPECT_FALSE(entry->entry.id.empty()) << text;
      if (!entry->entry.kernel.empty()) {
        EXPECT_EQ(entry->entry.kernel[0], '/') << text;
      }
    } else {  // a clear error naming the file, never an exception
      EXPECT_FALSE(entry.error().message.empty());
      EXPECT_NE(entry.error().str().find("r+1-2.conf"), std::string::npos) << entry.error().str();
    }
  }
}

BlsEntry sortable(std::string id, std::string sort_key = "", std::string machine_id = "",
                  std::string version = "", std::optional<unsigned> tries_left = std::nullopt) {
  BlsEntry e;
  e.entry.id = std::move(id);
  e.sort_key = std::move(sort_key);
  e.machine_id = std::move(machine_id);
  e.version = std::move(version);
  e.tries_left = tries_left;
  return e;
}

std::vector<std::string> ids(const std::vector<BlsEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.entry.id);
  return out;
}

TEST(BlsEntryTest, SortsAsTheSpecificationSays) {
  std::vector<BlsEntry> entries = {
      sortable("a-10", "", "dd235d00696545768f6f693bfd23b15f", "10"),
      sortable("a-5", "", "dd235d00696545768f6f693bfd23b15f", "5"),
      sortable("b", "", "b75451ad92f94feeab50b0b442768dbd", "3"),
      sortable("c", "xxxx", "309de666fd5044268a9a26541ac93176", "5"),
      sortable("cx", "xxxx", "309de666fd5044268a9a26541ac93176", "10"),
      sortable("d", "kkkk", "81c6e3147cf544c19006af023e22b292", "100"),
      sortable("bad", "aaaa", "", "999", 0u),
      sortable("counting", "", "", "", 2u),
  };
  sort_bls_entries(entries);
  EXPECT_EQ(ids(entries),
            (std::vector<std::string>{"d", "cx", "c", "counting", "b", "a-10", "a-5", "bad"}));
}

TEST(BlsEntryTest, SortTieBreakers) {
  std::vector<BlsEntry> entries = {
      sortable("m2", "fedora", "bbbb", "6.5.0"),
      sortable("m1", "fedora", "aaaa", "6.1.0"),
      sortable("none", "fedora", "", "6.1.0"),
      sortable("v-old", "fedora", "bbbb", "6.1.0"),
      sortable("arch", "arch", "zzzz", "1"),
      sortable("same-2", "fedora", "bbbb", "6.1.0"),
      sortable("mid-6.1.0-9-amd64"),
      sortable("mid-6.1.0-10-amd64"),
      sortable("mid-0-rescue"),
  };
  sort_bls_entries(entries);
  EXPECT_EQ(ids(entries),
            (std::vector<std::string>{"arch", "none", "m1", "m2", "v-old", "same-2",
                                      "mid-6.1.0-10-amd64", "mid-6.1.0-9-amd64", "mid-0-rescue"}));
}

const BootEntry* find_id(const std::vector<BootEntry>& entries, std::string_view id) {
  for (const auto& e : entries) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

TEST(BlsEntryTest, ReadsEntriesFromAllPartitionsOnce) {
  FakeFileSystem fs;
  const std::string debian = "title Debian\nlinux /vmlinuz-6.1.0-9-amd64\n";
  fs.add_file("/boot/loader/entries/debian.conf", debian);
  fs.add_file("/efi/loader/entries/debian.conf", debian);  // the same directory seen twice
  fs.add_file("/efi/loader/entries/other.conf", "title Other\nlinux /vmlinuz-6.5.0\n");
  fs.add_file("/boot/efi/loader/entries/readme.txt", "not an entry");
  fs.add_file("/boot/loader/entries/arm.conf", "linux /Image\narchitecture AA64\n");
  fs.add_file("/boot/loader/entries/x64.conf", "linux /vmlinuz-6.2.0\narchitecture X64\n");
  std::vector<Error> skipped;
  auto entries = read_bls_entries(fs, &skipped);
  ASSERT_TRUE(entries.ok()) << entries.error().str();
  EXPECT_TRUE(skipped.empty());
  std::vector<std::string> got;
  for (const auto& e : *entries) got.push_back(e.id + " " + e.kernel);
#if defined(__x86_64__)
  EXPECT_EQ(got, (std::vector<std::string>{"x64 /boot/vmlinuz-6.2.0", "other /efi/vmlinuz-6.5.0",
                                           "debian /boot/vmlinuz-6.1.0-9-amd64"}));
#endif
}

TEST(BlsEntryTest, RootRelativePathsWhenBootIsNotAPartition) {
  FakeFileSystem fs;
  fs.add_file("/boot/loader/entries/f.conf",
              "linux /boot/vmlinuz-6.5.6-300.fc39.x86_64\ninitrd /boot/initramfs-6.5.6.img\n");
  fs.add_file("/boot/vmlinuz-6.5.6-300.fc39.x86_64", make_test_kernel("6.5.6-300.fc39.x86_64"));
  fs.add_file("/boot/initramfs-6.5.6.img", "initrd");
  auto entries = read_bls_entries(fs);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].kernel, "/boot/vmlinuz-6.5.6-300.fc39.x86_64");
  EXPECT_EQ((*entries)[0].initrds, std::vector<std::string>{"/boot/initramfs-6.5.6.img"});
}

TEST(BlsEntryTest, VersionFromImageAndEfiStubKernels) {
  FakeFileSystem fs;
  fs.add_file("/efi/loader/entries/arch.conf", "linux /vmlinuz-linux\n");
  fs.add_file("/efi/vmlinuz-linux", make_test_kernel("6.6.1-arch1-1"));
  fs.add_file("/efi/loader/entries/stub.conf", "efi /vmlinuz-lts.efi\n");
  fs.add_file("/efi/vmlinuz-lts.efi", make_test_kernel("6.1.60-1-lts"));
  fs.add_file("/efi/loader/entries/uki.conf", "efi /EFI/custom/img.efi\n");
  fs.add_file("/efi/EFI/custom/img.efi",
              make_test_uki({{".uname", "6.7.0-rc1"}, {".linux", make_test_kernel("6.7.0-rc1")}}));
  auto entries = read_bls_entries(fs);
  ASSERT_TRUE(entries.ok()) << entries.error().str();
  ASSERT_EQ(entries->size(), 3u);
  const BootEntry* arch = find_id(*entries, "arch");
  ASSERT_NE(arch, nullptr);
  EXPECT_EQ(arch->version, "6.6.1-arch1-1");
  const BootEntry* stub = find_id(*entries, "stub");
  ASSERT_NE(stub, nullptr);
  EXPECT_FALSE(stub->uki);  // an EFI-stub bzImage named by "efi" is a plain kernel
  EXPECT_EQ(stub->version, "6.1.60-1-lts");
  const BootEntry* uki = find_id(*entries, "uki");
  ASSERT_NE(uki, nullptr);
  EXPECT_TRUE(uki->uki);
  EXPECT_EQ(uki->version, "6.7.0-rc1");
}

TEST(BlsEntryTest, Type2EntriesAndSkippedFiles) {
  FakeFileSystem fs;
  fs.add_file(
      "/boot/EFI/Linux/fedora-6.6.1+2-0.efi",
      make_test_uki({{".osrel", "PRETTY_NAME=\"Fedora Linux 39\"\nID=fedora\nVERSION_ID=39\n"},
                     {".cmdline", "root=/dev/sda2 quiet"},
                     {".uname", "6.6.1-200.fc39.x86_64"},
                     {".linux", make_test_kernel("6.6.1-200.fc39.x86_64")}}));
  fs.add_file("/boot/EFI/Linux/no-osrel.efi", make_test_uki({{".linux", "k"}}));
  fs.add_file("/boot/EFI/Linux/garbage.EFI", "definitely not PE");
  fs.add_file("/boot/EFI/Linux/notes.txt", "ignored");
  fs.add_file("/boot/loader/entries/broken.conf", "title no kernel\n");
  fs.add_file("/boot/loader/entries/z.conf", "linux /vmlinuz-6.1.0\n");
  std::vector<Error> skipped;
  auto entries = read_bls_entries(fs, &skipped);
  ASSERT_TRUE(entries.ok()) << entries.error().str();
  ASSERT_EQ(entries->size(), 2u);
  const BootEntry& uki = (*entries)[0];  // has a sort key: first
  EXPECT_EQ(uki.origin, EntryOrigin::Uki);
  EXPECT_EQ(uki.id, "fedora-6.6.1.efi");
  EXPECT_EQ(uki.title, "Fedora Linux 39");
  EXPECT_EQ(uki.kernel, "/boot/EFI/Linux/fedora-6.6.1+2-0.efi");
  EXPECT_EQ(uki.options, "root=/dev/sda2 quiet");
  EXPECT_EQ(uki.version, "6.6.1-200.fc39.x86_64");
  EXPECT_TRUE(uki.uki);
  EXPECT_TRUE(uki.initrds.empty());
  EXPECT_EQ((*entries)[1].id, "z");
  EXPECT_EQ(skipped.size(), 3u);  // no-osrel.efi, garbage.EFI, broken.conf

  FakeFileSystem only_broken;
  only_broken.add_file("/boot/loader/entries/broken.conf", std::string("\0\0\0", 3));
  auto none = read_bls_entries(only_broken);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().file, "/boot/loader/entries/broken.conf");

  FakeFileSystem empty;
  auto nothing = read_bls_entries(empty);
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->empty());
}

TEST(BlsEntryTest, FedoraFixture) {
  RootedFileSystem fs(std::string(WARMBOOT_TEST_DATA) + "/roots/fedora");
  auto entries = read_bls_entries(fs);
  ASSERT_TRUE(entries.ok()) << entries.error().str();
  ASSERT_EQ(entries->size(), 3u);
  const std::string mid = kFedoraMid;
  EXPECT_EQ((*entries)[0].id, mid + "-6.6.1-200.fc39.x86_64");
  EXPECT_EQ((*entries)[1].id, mid + "-6.5.6-300.fc39.x86_64");
  EXPECT_EQ((*entries)[2].id, mid + "-0-rescue");
  const BootEntry& newest = (*entries)[0];
  EXPECT_EQ(newest.kernel, "/boot/vmlinuz-6.6.1-200.fc39.x86_64");
  EXPECT_EQ(newest.initrds, std::vector<std::string>{"/boot/initramfs-6.6.1-200.fc39.x86_64.img"});
  EXPECT_EQ(newest.version, "6.6.1-200.fc39.x86_64");
  EXPECT_EQ(newest.title, "Fedora Linux (6.6.1-200.fc39.x86_64) 39 (Workstation Edition)");
  EXPECT_EQ(newest.options,
            "root=UUID=8a3e5b1c-2d4f-4e6a-9b8c-7d1e0f2a3b4c ro rootflags=subvol=root rhgb quiet");
  EXPECT_EQ((*entries)[2].kernel, "/boot/vmlinuz-0-rescue-" + mid);
  EXPECT_EQ((*entries)[2].version, "6.5.6-300.fc39.x86_64");  // from the rescue image's header
  for (const auto& e : *entries) {
    EXPECT_TRUE(fs.is_file(e.kernel)) << e.kernel;
    for (const auto& initrd : e.initrds) EXPECT_TRUE(fs.is_file(initrd)) << initrd;
  }
}

TEST(BlsEntryTest, ArchFixture) {
  RootedFileSystem fs(std::string(WARMBOOT_TEST_DATA) + "/roots/arch");
  auto entries = read_bls_entries(fs);
  ASSERT_TRUE(entries.ok()) << entries.error().str();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].id, "arch-linux.efi");  // type #2, sort key "arch" from .osrel
  EXPECT_TRUE((*entries)[0].uki);
  EXPECT_EQ((*entries)[0].version, "6.6.1-arch1-1");
  EXPECT_EQ((*entries)[1].id, "arch-fallback");  // no sort key: ids in decreasing version order
  EXPECT_EQ((*entries)[2].id, "arch");
  const BootEntry& arch = (*entries)[2];
  EXPECT_EQ(arch.kernel, "/efi/vmlinuz-linux");
  EXPECT_EQ(arch.initrds,
            (std::vector<std::string>{"/efi/intel-ucode.img", "/efi/initramfs-linux.img"}));
  EXPECT_EQ(arch.version, "6.6.1-arch1-1");
  EXPECT_EQ(arch.title, "Arch Linux");
}

}  // namespace
}  // namespace warmboot
