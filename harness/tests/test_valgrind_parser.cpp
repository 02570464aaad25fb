// The Valgrind XML reader, on hand-made documents. Recorded logs of Helgrind
// and DRD are in test_fixtures.cpp.
#include "support.h"
#include "adapter.h"
#include "vg_log.h"

#include <gtest/gtest.h>

namespace {

struct vg_log {
    rl_vg_log log;
    int rc;
    vg_log(const std::string &xml, rl_tool_id tool)
    {
        rc = rl_vg_parse(xml.data(), xml.size(), rl_adapter_for(tool)->kinds, &log);
    }
    ~vg_log() { rl_vg_log_clear(&log); }
};

const std::string head = "<?xml version=\"1.0\"?>\n<valgrindoutput>\n"
                         "<protocolversion>4</protocolversion>\n"
                         "<protocoltool>helgrind</protocoltool>\n"
                         "<pid>4242</pid>\n"
                         "<status><state>RUNNING</state></status>\n"
                         "<announcethread><hthreadid>2</hthreadid><stack><frame>"
                         "<fn>main</fn><dir>/c</dir><file>a.c</file><line>99</line>"
                         "</frame></stack></announcethread>\n";

const std::string race_error =
    "<error><unique>0x0</unique><tid>3</tid><kind>Race</kind>\n"
    "<xwhat><text>Possible data race during read of size 8 at 0x10C030 by thread #3</text>"
    "<hthreadid>3</hthreadid></xwhat>\n"
    "<stack><frame><ip>0x1</ip><obj>/x</obj></frame>"
    "<frame><ip>0x2</ip><fn>add_many</fn><dir>/c</dir><file>a.c</file><line>42</line></frame>"
    "</stack>\n"
    "<xauxwhat><text>This conflicts with a previous write of size 8 by thread #2</text>"
    "</xauxwhat>\n"
    "<stack><frame><fn>add_many</fn><dir>/c</dir><file>a.c</file><line>45</line></frame></stack>\n"
    "<auxwhat>Address 0x10c030 is 0 bytes inside data symbol \"counter\"</auxwhat>\n"
    "<suppression><sname>x</sname><skind>Helgrind:Race</skind>"
    "<sframe><fun>add_many</fun></sframe><rawtext>...</rawtext></suppression>\n"
    "</error>\n";

const std::string tail = "<status><state>FINISHED</state></status>\n"
                         "<errorcounts><pair><count>7</count><unique>0x0</unique></pair>"
                         "</errorcounts>\n<suppcounts></suppcounts>\n</valgrindoutput>\n";

TEST(ValgrindParser, ReadsACompleteHelgrindLog)
{
    vg_log v(head + race_error + tail, RL_TOOL_HELGRIND);
    ASSERT_EQ(v.rc, 0) << v.log.parse_error;
    EXPECT_EQ(v.log.protocol, 4);
    EXPECT_STREQ(v.log.tool, "helgrind");
    EXPECT_EQ(v.log.pid, 4242);
    EXPECT_TRUE(v.log.running);
    EXPECT_TRUE(v.log.finished);
    EXPECT_TRUE(v.log.complete);
    EXPECT_EQ(v.log.errorcounts, 1);
    ASSERT_EQ(v.log.reports.count, 1u);
    const rl_report &r = v.log.reports.items[0];
    EXPECT_EQ(r.kind, RL_KIND_DATA_RACE);
    EXPECT_STREQ(r.tool_kind, "Race");
    EXPECT_STREQ(r.headline, "Possible data race during read of size 8 at 0x10C030 by thread #3");
    // Frames of both stacks; none from the thread announcement or the
    // suppression.
    ASSERT_EQ(frames_of(r).size(), 3u);
    EXPECT_EQ(frames_of(r)[0].file, nullptr);
    EXPECT_STREQ(frames_of(r)[1].file, "/c/a.c");
    EXPECT_STREQ(frames_of(r)[1].function, "add_many");
    EXPECT_EQ(frames_of(r)[1].line, 42);
    EXPECT_EQ(frames_of(r)[2].line, 45);
}

TEST(ValgrindParser, KeepsCompleteErrorsOfATruncatedLog)
{
    std::string cut = head + race_error + "<error><unique>0x1</unique><kind>LockOrder</kind>"
                                          "<xwhat><text>Thread #3: lock order";
    vg_log v(cut, RL_TOOL_HELGRIND);
    EXPECT_EQ(v.rc, -1);
    ASSERT_NE(v.log.parse_error, nullptr);
    EXPECT_FALSE(v.log.complete);
    EXPECT_FALSE(v.log.finished);
    EXPECT_TRUE(v.log.running);
    EXPECT_STREQ(v.log.tool, "helgrind");
    EXPECT_EQ(kinds_of(v.log.reports), std::vector<std::string>{"data-race"});
}

TEST(ValgrindParser, RejectsWhatIsNotAValgrindLog)
{
    vg_log empty("", RL_TOOL_HELGRIND);
    EXPECT_EQ(empty.rc, -1);
    EXPECT_STREQ(empty.log.tool, "");
    vg_log garbage("this is not xml <<<", RL_TOOL_DRD);
    EXPECT_EQ(garbage.rc, -1);
    EXPECT_NE(std::string(garbage.log.parse_error).find("line 1"), std::string::npos);
    vg_log other("<html><body>hi</body></html>", RL_TOOL_DRD);
    EXPECT_EQ(other.rc, -1);
    EXPECT_EQ(other.log.reports.count, 0u);
}

TEST(ValgrindParser, ReadsDrdWhatAndSegmentStacks)
{
    std::string xml =
        "<valgrindoutput><protocolversion>4</protocolversion><protocoltool>drd</protocoltool>"
        "<error><unique>0x8</unique><tid>3</tid><kind>ConflictingAccess</kind>"
        "<what>Conflicting load by thread 3 at 0x0010c030 size 8</what>"
        "<stack><frame><fn>add_many</fn><dir>/c</dir><file>a.c</file><line>42</line></frame>"
        "</stack><auxwhat>Allocation context: BSS section of /c/a</auxwhat>"
        "<other_segment_end><stack><frame><fn>add_many</fn><dir>/c</dir><file>a.c</file>"
        "<line>49</line></frame></stack></other_segment_end></error>"
        "<error><kind>MutexErr</kind><what>Mutex not locked by calling thread: mutex 0x10c080, "
        "recursion count 1, owner 2.</what></error>"
        "<error><kind>MutexErr</kind><what>Mutex not locked by calling thread: mutex 0x10c080, "
        "recursion count 0, owner 1.</what></error>"
        "<error><kind>HoldtimeErr</kind><what>Lock on mutex 0x10c080 was held during 201 ms "
        "(threshold: 10 ms).</what></error>"
        "<status><state>FINISHED</state></status></valgrindoutput>";
    vg_log v(xml, RL_TOOL_DRD);
    ASSERT_EQ(v.rc, 0) << v.log.parse_error;
    EXPECT_EQ(v.log.errorcounts, -1);
    EXPECT_EQ(kinds_of(v.log.reports),
              (std::vector<std::string>{"data-race", "unlock-foreign", "unlock-unlocked",
                                        "lock-contention"}));
    const rl_report &r = v.log.reports.items[0];
    EXPECT_STREQ(r.headline, "Conflicting load by thread 3 at 0x0010c030 size 8");
    ASSERT_EQ(frames_of(r).size(), 2u);
    EXPECT_EQ(frames_of(r)[1].line, 49);
}

TEST(ValgrindParser, UsesTheFirstTextAsHeadlineAndAllTextForTheKind)
{
    std::string xml = "<valgrindoutput><protocoltool>helgrind</protocoltool>"
                      "<error><kind>PthAPIerror</kind><xwhat><text>Thread #1's call to "
                      "sem_init failed</text></xwhat><what>with error code 22 (EINVAL: Invalid "
                      "argument)</what></error></valgrindoutput>";
    vg_log v(xml, RL_TOOL_HELGRIND);
    ASSERT_EQ(v.rc, 0);
    ASSERT_EQ(v.log.reports.count, 1u);
    EXPECT_STREQ(v.log.reports.items[0].headline, "Thread #1's call to sem_init failed");
    EXPECT_EQ(v.log.reports.items[0].kind, RL_KIND_SEMAPHORE_MISUSE);
}

TEST(ValgrindParser, SortsStacksIntoAccessesAndContext)
{
    vg_log v(head + race_error + tail, RL_TOOL_HELGRIND);
    const rl_report &r = v.log.reports.items[0];
    ASSERT_EQ(r.nstacks, 2u);
    EXPECT_TRUE(r.stacks[0].access);
    EXPECT_STREQ(r.stacks[1].title, "This conflicts with a previous write of size 8 by thread #2");
    EXPECT_TRUE(r.stacks[1].access);

    std::string order =
        "<valgrindoutput><protocoltool>helgrind</protocoltool><error><kind>LockOrder</kind>"
        "<xwhat><text>Thread #3: lock order \"0x1 before 0x2\" violated</text></xwhat>"
        "<stack><frame><line>10</line></frame></stack>"
        "<auxwhat>Required order was established by acquisition of lock at 0x1</auxwhat>"
        "<stack><frame><line>20</line></frame></stack>"
        "<auxwhat>followed by a later acquisition of lock at 0x2</auxwhat>"
        "<stack><frame><line>21</line></frame></stack>"
        "<auxwhat>Lock at 0x1 was first observed</auxwhat>"
        "<stack><frame><line>5</line></frame></stack></error></valgrindoutput>";
    vg_log o(order, RL_TOOL_HELGRIND);
    const rl_report &lo = o.log.reports.items[0];
    ASSERT_EQ(lo.nstacks, 4u);
    EXPECT_TRUE(lo.stacks[0].access && lo.stacks[1].access && lo.stacks[2].access);
    EXPECT_FALSE(lo.stacks[3].access);

    std::string drd =
        "<valgrindoutput><protocoltool>drd</protocoltool><error><kind>ConflictingAccess</kind>"
        "<what>Conflicting load</what><stack><frame><line>4</line></frame></stack>"
        "<other_segment_start><stack><frame><line>8</line></frame></stack></other_segment_start>"
        "</error><error><kind>HoldtimeErr</kind><what>Acquired at:</what>"
        "<acquired_at><stack><frame><line>9</line></frame></stack></acquired_at>"
        "<first_observed_at><what>mutex</what><stack><frame><line>3</line></frame></stack>"
        "</first_observed_at></error></valgrindoutput>";
    vg_log d(drd, RL_TOOL_DRD);
    ASSERT_EQ(d.log.reports.count, 2u);
    EXPECT_TRUE(d.log.reports.items[0].stacks[0].access);
    EXPECT_FALSE(d.log.reports.items[0].stacks[1].access);
    EXPECT_TRUE(d.log.reports.items[1].stacks[0].access);
    EXPECT_FALSE(d.log.reports.items[1].stacks[1].access);
}

TEST(ValgrindParser, ReadsWhoseRunItIs)
{
    std::string xml =
        "<valgrindoutput><protocoltool>drd</protocoltool><pid>77</pid>"
        "<args><vargv><exe>/usr/bin/valgrind.bin</exe><arg>--tool=drd</arg>"
        "<arg>--xml=yes</arg></vargv><argv><exe>/w/bin/case</exe><arg>one</arg>"
        "<arg>two</arg></argv></args>"
        "<fatal_signal><tid>1</tid><signo>6</signo><signame>SIGABRT</signame></fatal_signal>"
        "<status><state>FINISHED</state></status><errorcounts></errorcounts>"
        "<suppcounts><pair><count>3</count><name>drd-ld</name></pair>"
        "<pair><count>1</count><name>mine</name></pair></suppcounts></valgrindoutput>";
    vg_log v(xml, RL_TOOL_DRD);
    ASSERT_EQ(v.rc, 0) << v.log.parse_error;
    EXPECT_EQ(v.log.pid, 77);
    EXPECT_STREQ(v.log.exe, "/w/bin/case");
    ASSERT_NE(v.log.vargv, nullptr);
    EXPECT_STREQ(v.log.vargv[0], "/usr/bin/valgrind.bin");
    EXPECT_STREQ(v.log.vargv[2], "--xml=yes");
    EXPECT_EQ(v.log.vargv[3], nullptr);
    EXPECT_STREQ(v.log.argv[1], "two");
    EXPECT_EQ(v.log.argv[2], nullptr);
    EXPECT_EQ(v.log.fatal_signal, 6);
    EXPECT_EQ(v.log.errorcounts, 0);
    ASSERT_NE(v.log.suppressions, nullptr);
    EXPECT_STREQ(v.log.suppressions[1], "mine");
}

// Nesting deeper than the parser remembers (64 levels) once made it read
// out of bounds; now the deep part is only counted.
TEST(Sabotage, ValgrindXmlNestedDeeperThanTheParserRemembers)
{
    for (int depth : {63, 64, 65, 200, 5000}) {
        std::string xml = "<valgrindoutput><protocoltool>helgrind</protocoltool><error><kind>Race</kind>";
        for (int i = 0; i < depth; i++)
            xml += "<stack><frame>";
        for (int i = 0; i < depth; i++)
            xml += "</frame></stack>";
        xml += "</error><errorcounts><pair/></errorcounts></valgrindoutput>";
        vg_log v(xml, RL_TOOL_HELGRIND);
        EXPECT_EQ(v.rc, 0) << depth << ": " << (v.log.parse_error ? v.log.parse_error : "");
        EXPECT_EQ(v.log.reports.count, 1u) << depth;
    }
}

} // namespace
