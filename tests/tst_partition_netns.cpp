// Beyond JPS: fit the communication model g = w0 + w1 * bytes / bandwidth from real transfers of
// cut-sized activations over a veth pair between two network namespaces, shaped with tc netem to
// 5.85 Mbit/s (4G in JPS Table 1). Skipped where namespaces or tc are not available.

#include "common/error.h"
#include "graph/graph.h"
#include "onnx/onnximport.h"
#include "partition/partition.h"

#include <QtTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <random>
#include <string>
#include <thread>

using namespace sniper;

namespace {

constexpr double kBandwidthBps = 5.85e6;
constexpr int kPort = 47231;
// Only addresses on our own veth pair, inside our own namespaces.
constexpr const char *kSenderAddr = "10.231.0.1";
constexpr const char *kReceiverAddr = "10.231.0.2";

bool sh(const std::string &cmd)
{
    return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
}

// Two namespaces joined by a veth pair; removed (with the pair) on destruction.
struct ShapedLink {
    std::string a, b, va, vb;
    bool ok = false;
    std::string error;
    std::string shaper;
    ShapedLink()
    {
        const std::string pid = std::to_string(getpid());
        a = "sniper-jps-a-" + pid, b = "sniper-jps-b-" + pid;
        va = "sjpa" + pid, vb = "sjpb" + pid;
        const std::vector<std::string> steps { "ip netns add " + a, "ip netns add " + b,
            "ip link add " + va + " type veth peer name " + vb, "ip link set " + va + " netns " + a,
            "ip link set " + vb + " netns " + b, "ip -n " + a + " addr add " + kSenderAddr + "/30 dev " + va,
            "ip -n " + b + " addr add " + kReceiverAddr + "/30 dev " + vb, "ip -n " + a + " link set " + va + " up",
            "ip -n " + b + " link set " + vb + " up" };
        for (const std::string &s : steps)
            if (!sh(s)) {
                error = s;
                return;
            }
        // tbf where the kernel has it (netem is often not loaded in containers), else netem.
        const std::string tc = "ip netns exec " + a + " tc qdisc add dev " + va + " root ";
        if (sh(tc + "tbf rate 5850kbit burst 32kb latency 400ms"))
            shaper = "tbf";
        else if (sh(tc + "netem rate 5850kbit limit 10000"))
            shaper = "netem";
        else {
            error = "tc qdisc add ... tbf/netem rate 5850kbit";
            return;
        }
        ok = true;
    }
    ~ShapedLink()
    {
        sh("ip netns del " + a);
        sh("ip netns del " + b);
        sh("ip link del " + va); // only left when moving it into the namespace failed
    }
};

// Moves the calling thread (only) into a named network namespace.
bool enterNamespace(const std::string &name)
{
    const int fd = open(("/var/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = setns(fd, CLONE_NEWNET) == 0;
    close(fd);
    return ok;
}

void setTimeouts(int fd)
{
    timeval tv { 10, 0 }; // bounds every transfer in time
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool readAll(int fd, void *buf, size_t n)
{
    auto *p = static_cast<char *>(buf);
    while (n > 0) {
        const ssize_t r = recv(fd, p, n, 0);
        if (r <= 0)
            return false;
        p += r, n -= size_t(r);
    }
    return true;
}

bool writeAll(int fd, const void *buf, size_t n)
{
    auto *p = static_cast<const char *>(buf);
    while (n > 0) {
        const ssize_t r = send(fd, p, n, MSG_NOSIGNAL);
        if (r <= 0)
            return false;
        p += r, n -= size_t(r);
    }
    return true;
}

// Receiver in namespace B: per message, an 8-byte length then the tensor; a 1-byte ack at the end.
std::string receive(const std::string &ns, int messages, std::promise<void> &listening)
{
    if (!enterNamespace(ns)) {
        listening.set_value();
        return "setns into " + ns + " failed";
    }
    const int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(kPort);
    inet_pton(AF_INET, kReceiverAddr, &addr.sin_addr);
    if (bind(ls, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || listen(ls, 1) != 0) {
        close(ls);
        listening.set_value();
        return "bind/listen on the receiver failed";
    }
    setTimeouts(ls);
    listening.set_value();
    const int fd = accept(ls, nullptr, nullptr);
    close(ls);
    if (fd < 0)
        return "accept timed out";
    setTimeouts(fd);
    std::vector<char> buf;
    for (int m = 0; m < messages; ++m) {
        uint64_t len = 0;
        if (!readAll(fd, &len, sizeof len) || len > (16u << 20)) {
            close(fd);
            return "receiving a length failed";
        }
        buf.resize(len);
        const char ack = 1;
        if (!readAll(fd, buf.data(), len) || !writeAll(fd, &ack, 1)) {
            close(fd);
            return "receiving a tensor failed";
        }
    }
    close(fd);
    return {};
}

} // namespace

class TestPartitionNetns : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fitCommunicationModelOverShapedLink();
};

void TestPartitionNetns::fitCommunicationModelOverShapedLink()
{
    if (geteuid() != 0)
        QSKIP("needs root (CAP_NET_ADMIN) to create network namespaces; skipped");
    if (!sh("command -v ip") || !sh("command -v tc"))
        QSKIP("needs 'ip' and 'tc' (iproute2) for namespaces and shaping; skipped");
    ShapedLink link;
    if (!link.ok)
        QSKIP(qPrintable(
            QStringLiteral("this machine does not allow network namespaces/veth/netem ('%1' failed); skipped")
                .arg(QString::fromStdString(link.error))));

    // Real cut sizes: the activations crossing AlexNet's kept cuts (virtual blocks), <= 800 kB.
    onnx::ImportOptions io;
    io.loadWeights = false;
    const graph::Graph g = onnx::importOnnxFile(SNIPER_SOURCE_DIR "/datasets/models/alexnet.onnx", io);
    const partition::Profile p
        = partition::mergeVirtualBlocks(partition::buildProfile(g, std::vector<double>(g.nodes.size(), 1.0)));
    std::vector<int64_t> sizes;
    for (const partition::CutPoint &c : p.cuts)
        if (c.bytes > 0 && c.bytes <= 800000)
            sizes.push_back(c.bytes);
    QVERIFY(sizes.size() >= 3);
    const int repeats = 2;
    const int messages = int(sizes.size()) * repeats + 1; // one warm-up message

    std::promise<void> listening;
    auto ready = listening.get_future();
    auto receiver = std::async(std::launch::async, [&] { return receive(link.b, messages, listening); });
    ready.wait();

    std::vector<std::pair<int64_t, double>> samples;
    std::string error;
    std::thread sender([&] {
        if (!enterNamespace(link.a)) {
            error = "setns into the sender namespace failed";
            return;
        }
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        setTimeouts(fd);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(kPort);
        inet_pton(AF_INET, kReceiverAddr, &addr.sin_addr);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
            close(fd);
            error = "connect to the receiver failed";
            return;
        }
        std::mt19937 rng(5);
        auto transfer = [&](int64_t bytes) {
            std::vector<char> tensor(static_cast<size_t>(bytes));
            for (char &c : tensor)
                c = char(rng());
            const uint64_t len = uint64_t(bytes);
            char ack = 0;
            const auto start = std::chrono::steady_clock::now();
            if (!writeAll(fd, &len, sizeof len) || !writeAll(fd, tensor.data(), tensor.size()) || !readAll(fd, &ack, 1))
                return -1.0;
            return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        };
        transfer(4096); // warm-up: the connection's slow start
        for (int r = 0; r < repeats && error.empty(); ++r)
            for (int64_t bytes : sizes) {
                const double ms = transfer(bytes);
                if (ms < 0) {
                    error = "a transfer failed or timed out";
                    break;
                }
                samples.push_back({ bytes, ms });
            }
        close(fd);
    });
    sender.join();
    const std::string receiverError = receiver.get();
    QVERIFY2(error.empty(), error.c_str());
    QVERIFY2(receiverError.empty(), receiverError.c_str());

    const partition::CommFit fit = partition::fitCommModel(samples, kBandwidthBps);
    for (const auto &[bytes, ms] : samples)
        qInfo("transfer %lld bytes: %.1f ms (ideal %.1f ms)", static_cast<long long>(bytes), ms,
            double(bytes) * 8.0 / kBandwidthBps * 1000.0);
    qInfo("shaper: tc %s", link.shaper.c_str());
    qInfo("fit over %d transfers at 5.85 Mbit/s: w0 = %.2f ms, w1 = %.3f, R^2 = %.4f, RMSE = %.2f ms", fit.samples,
        fit.model.w0Ms, fit.model.w1, fit.r2, fit.rmseMs);
    // netem paces at 5.85 Mbit/s of IP packets; TCP/IP headers add a few per cent.
    QVERIFY2(fit.model.w1 > 0.9 && fit.model.w1 < 1.3, qPrintable(QStringLiteral("w1 = %1").arg(fit.model.w1)));
    QVERIFY2(fit.r2 > 0.98, qPrintable(QStringLiteral("R^2 = %1").arg(fit.r2)));
}

QTEST_APPLESS_MAIN(TestPartitionNetns)
#include "tst_partition_netns.moc"
