#include "generator/nasbench201.h"

#include "common/error.h"
#include "generator/emitter.h"

#include <string_view>

namespace sniper::generator {

namespace {

constexpr std::array<std::string_view, 5> kOpNames{"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3",
                                                   "avg_pool_3x3"};

// Strict recursive-descent over the cell string; `pos` is 0-based, messages say 1-based characters.
class CellParser {
public:
    explicit CellParser(const std::string &text) : m_text(text) {}

    NasBench201Cell parse()
    {
        if (m_text.empty())
            fail("the cell string is empty (expected |op~0|+|op~0|op~1|+|op~0|op~1|op~2|)");
        NasBench201Cell cell;
        for (int node = 1; node <= 3; ++node) {
            if (node > 1)
                expect('+', "'+' between node " + std::to_string(node - 1) + " and node " + std::to_string(node));
            expect('|', "'|' opening node " + std::to_string(node));
            for (int j = 0; j < node; ++j)
                cell.edges[size_t(node - 1)][size_t(j)] = edge(node, j);
            if (node < 3 && m_pos < m_text.size() && m_text[m_pos] != '+')
                fail("node " + std::to_string(node) + " has more than " + std::to_string(node) +
                     " edge(s) (node i takes one edge from each earlier node)");
        }
        if (m_pos < m_text.size())
            fail(m_text[m_pos] == '+' ? "the cell has more than three nodes"
                                      : "unexpected text after node 3");
        return cell;
    }

private:
    [[noreturn]] void fail(const std::string &what, size_t at) const
    {
        throw Error("at character " + std::to_string(at + 1) + ": " + what, "NAS-Bench-201 cell '" + m_text + "'");
    }
    [[noreturn]] void fail(const std::string &what) const { fail(what, m_pos); }

    void expect(char c, const std::string &what)
    {
        if (m_pos >= m_text.size())
            fail("the string ends where " + what + " was expected");
        if (m_text[m_pos] != c)
            fail(std::string("found '") + m_text[m_pos] + "' where " + what + " was expected");
        ++m_pos;
    }

    // "op~j|" for edge j of `node`.
    Nb201Op edge(int node, int j)
    {
        const size_t start = m_pos;
        const std::string label = "edge " + std::to_string(j + 1) + " of node " + std::to_string(node);
        const size_t bar = m_text.find('|', start);
        if (start >= m_text.size())
            fail("the string ends where " + label + " was expected");
        if (bar == std::string::npos)
            fail(label + " '" + m_text.substr(start) + "': missing the closing '|'");
        if (m_text.find('+', start) < bar)
            fail(label + ": expected 'op~" + std::to_string(j) + "|' (node " + std::to_string(node) + " needs " +
                 std::to_string(node) + " edges)");
        const std::string_view token(m_text.data() + start, bar - start);
        const size_t tilde = token.find('~');
        if (tilde == std::string_view::npos)
            fail(label + " '" + std::string(token) + "': expected op~source");
        const std::string_view name = token.substr(0, tilde), src = token.substr(tilde + 1);
        int op = -1;
        for (size_t k = 0; k < kOpNames.size(); ++k)
            if (name == kOpNames[k])
                op = int(k);
        if (op < 0)
            fail(label + ": unknown operation '" + std::string(name) +
                 "' (expected none, skip_connect, nor_conv_1x1, nor_conv_3x3 or avg_pool_3x3)");
        if (src.empty() || src.size() > 3 || src.find_first_not_of("0123456789") != std::string_view::npos)
            fail(label + " '" + std::string(token) + "': the source must be a node number",
                 start + tilde + 1);
        const int s = std::stoi(std::string(src));
        if (s >= node)
            fail(label + " '" + std::string(token) + "': source " + std::to_string(s) +
                     " is not an earlier node (0.." + std::to_string(node - 1) + ")",
                 start + tilde + 1);
        if (s != j)
            fail(label + " '" + std::string(token) + "': expected the edge from node " + std::to_string(j) +
                     " (edges are listed by source, 0.." + std::to_string(node - 1) + ")",
                 start + tilde + 1);
        m_pos = bar + 1;
        return Nb201Op(op);
    }

    const std::string &m_text;
    size_t m_pos = 0;
};

class NetworkBuilder {
public:
    NetworkBuilder(graph::Graph &g) : m_e(g) {}

    // NAS-Bench-201 "nor_conv_kxk" = ReLU, conv k x k (no bias), BN (xautodl ReLUConvBN).
    int reluConvBn(int x, int64_t cout, int64_t k, int64_t stride)
    {
        return m_e.batchNorm(m_e.conv(m_e.activation(x, Activation::Relu), cout, k, stride, 1, 1, false));
    }

    int edge(Nb201Op op, int x)
    {
        switch (op) {
        case Nb201Op::SkipConnect: return x;
        case Nb201Op::Conv1x1: return reluConvBn(x, m_e.channels(x), 1, 1);
        case Nb201Op::Conv3x3: return reluConvBn(x, m_e.channels(x), 3, 1);
        case Nb201Op::AvgPool3x3: return m_e.pool(x, false, 3, 1, 1); // padding excluded from the average
        case Nb201Op::None: break;
        }
        return -1;
    }

    // Node i = sum of its non-'none' edges. A node without any is the zero tensor, written as
    // x * 0 like NAS-Bench-201's Zero op, so that edges leaving it still run (docs/generator.md).
    int cell(const NasBench201Cell &c, int x)
    {
        int nodes[4] = {x, -1, -1, -1};
        for (int i = 1; i <= 3; ++i) {
            int sum = -1;
            for (int j = 0; j < i; ++j) {
                const Nb201Op op = c.edge(i, j);
                if (op == Nb201Op::None)
                    continue;
                const int t = edge(op, nodes[j]);
                sum = sum < 0 ? t : m_e.add(sum, t);
            }
            if (sum < 0) {
                if (m_zero < 0)
                    m_zero = m_e.scalar(0.0f);
                sum = m_e.mul(x, m_zero);
            }
            nodes[i] = sum;
        }
        return nodes[3];
    }

    // xautodl ResNetBasicblock(stride 2): ReLUConvBN 3x3 s2, ReLUConvBN 3x3, shortcut avgpool 2x2 + conv 1x1.
    int reduction(int x, int64_t cout)
    {
        const int a = reluConvBn(x, cout, 3, 2);
        const int b = reluConvBn(a, cout, 3, 1);
        const int shortcut = m_e.conv(m_e.pool(x, false, 2, 2, 0), cout, 1, 1, 1, 1, false);
        return m_e.add(shortcut, b);
    }

    int network(const NasBench201Cell &c, int64_t batch)
    {
        int x = m_e.input({batch, 3, 32, 32});
        x = m_e.batchNorm(m_e.conv(x, 16, 3, 1, 1, 1, false)); // stem
        for (int stage = 0; stage < 3; ++stage) {
            if (stage > 0)
                x = reduction(x, 16 << stage);
            for (int k = 0; k < 5; ++k)
                x = cell(c, x);
        }
        x = m_e.activation(m_e.batchNorm(x), Activation::Relu); // lastact
        x = m_e.flatten(m_e.globalAveragePool(x));
        return m_e.gemm(x, 10);
    }

private:
    Emitter m_e;
    int m_zero = -1;
};

} // namespace

const char *nb201OpName(Nb201Op op)
{
    return kOpNames[size_t(op)].data();
}

NasBench201Cell parseNasBench201Cell(const std::string &text)
{
    return CellParser(text).parse();
}

std::string nasBench201CellString(const NasBench201Cell &cell)
{
    std::string s;
    for (int i = 1; i <= 3; ++i) {
        s += i > 1 ? "+|" : "|";
        for (int j = 0; j < i; ++j) {
            s += nb201OpName(cell.edge(i, j));
            s += '~';
            s += char('0' + j);
            s += '|';
        }
    }
    return s;
}

bool isNasBench201Cell(const std::string &text)
{
    try {
        parseNasBench201Cell(text);
        return true;
    } catch (const Error &) {
        return false;
    }
}

graph::Graph nasBench201Network(const NasBench201Cell &cell, int64_t batch)
{
    if (batch < 1)
        throw Error("batch " + std::to_string(batch) + " must be positive", "NAS-Bench-201 network");
    graph::Graph g;
    g.name = "nb201-" + nasBench201CellString(cell);
    NetworkBuilder b(g);
    const int y = b.network(cell, batch);
    g.values[size_t(y)].name = "output";
    g.outputs.push_back(y);
    g.finalize();
    return g;
}

graph::Graph nasBench201Network(const std::string &cell, int64_t batch)
{
    return nasBench201Network(parseNasBench201Cell(cell), batch);
}

} // namespace sniper::generator
