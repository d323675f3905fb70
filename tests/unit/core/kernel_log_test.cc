// SPDX-License-Identifier: Apache-2.0
// What goes to /dev/kmsg (kmsg_records), and the fake that the shutdown hook's tests use. The real
// DevKmsg is not exercised here: it would write into the host's kernel log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <syslog.h>

#include <string>

#include "core/kernel_log.h"
#include "fakes/fake_kernel_log.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(KmsgRecords, OneRecordPerLineWithTheLevelAndTheName) {
  EXPECT_THAT(kmsg_records(LOG_NOTICE, "rebooting with kexec"),
              ElementsAre("<5>warmboot: rebooting with kexec\n"));
  EXPECT_THAT(kmsg_records(LOG_ERR, "kexec failed\nrebooting cold\n"),
              ElementsAre("<3>warmboot: kexec failed\n", "<3>warmboot: rebooting cold\n"));
}

TEST(KmsgRecords, EmptyLinesAndMessagesWriteNothing) {
  EXPECT_THAT(kmsg_records(LOG_ERR, ""), IsEmpty());
  EXPECT_THAT(kmsg_records(LOG_ERR, "\n\n"), IsEmpty());
  EXPECT_THAT(kmsg_records(LOG_WARNING, "\na\n\nb"),
              ElementsAre("<4>warmboot: a\n", "<4>warmboot: b\n"));
}

TEST(KmsgRecords, OnlyTheLevelOfAPriorityIsWritten) {
  // The kernel files a record without a facility under LOG_USER; a facility is not passed on.
  EXPECT_THAT(kmsg_records(LOG_DAEMON | LOG_INFO, "x"), ElementsAre("<6>warmboot: x\n"));
}

TEST(KmsgRecords, LongLinesAreCutBelowTheKernelsLimit) {
  auto records = kmsg_records(LOG_ERR, std::string(5000, 'x'));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0], "<3>warmboot: " + std::string(kKmsgLineMax, 'x') + "\n");
  EXPECT_LT(records[0].size(), 1024u - 32u);
}

TEST(FakeKernelLog, KeepsRecordsOrFailsWhenNotWritable) {
  FakeKernelLog log;
  EXPECT_TRUE(log.write(LOG_NOTICE, "one\ntwo"));
  EXPECT_THAT(log.records(), ElementsAre("<5>warmboot: one\n", "<5>warmboot: two\n"));
  EXPECT_TRUE(log.contains("warmboot: two"));
  log.set_writable(false);
  Status failed = log.write(LOG_NOTICE, "three");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().file, "/dev/kmsg");
  EXPECT_EQ(log.records().size(), 2u);
}

}  // namespace
}  // namespace warmboot
