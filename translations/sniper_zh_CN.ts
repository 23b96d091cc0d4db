<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>QObject</name>
        <message>
            <source>could not write %1</source>
            <translation>无法写入 %1</translation>
        </message>
        <message>
            <source>unknown figure format '%1': use .png, .svg or .pdf</source>
            <translation>未知的图形格式“%1”：请使用 .png、.svg 或 .pdf</translation>
        </message>
        <message>
            <source>there is no chart to export</source>
            <translation>没有可导出的图表</translation>
        </message>
        <message>
            <source>%1 is not a readable SVG file</source>
            <translation>%1 不是可读取的 SVG 文件</translation>
        </message>
        <message>
            <source>there is nothing to export</source>
            <translation>没有可导出的内容</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>UI language for this run (en, zh_CN).</source>
            <translation>本次运行的界面语言（en、zh_CN）。</translation>
        </message>
        <message>
            <source>Save a PNG of every view into &lt;dir&gt; and quit.</source>
            <translation>将每个视图保存为 PNG 到 &lt;dir&gt; 后退出。</translation>
        </message>
        <message>
            <source>ONNX model to open</source>
            <translation>要打开的 ONNX 模型</translation>
        </message>
        <message>
            <source>Research workbench for DNN inference on edge devices</source>
            <translation>面向边缘设备 DNN 推理的研究工作台</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::AboutDialog</name>
        <message>
            <source>unavailable (%1)</source>
            <translation>不可用（%1）</translation>
        </message>
        <message>
            <source>About Sniper Workbench</source>
            <translation>关于 Sniper 工作台</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Sniper Workbench %1&lt;/h3&gt;&lt;p&gt;DNN inference latency research on heterogeneous edge devices: Sniper, Ace-Sniper, JPS and the module-level MEDN framework in one program.&lt;/p&gt;&lt;p&gt;Built with these libraries:&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Sniper 工作台 %1&lt;/h3&gt;&lt;p&gt;异构边缘设备上的 DNN 推理延迟研究：Sniper、Ace-Sniper、JPS 与模块级 MEDN 框架集于一个程序。&lt;/p&gt;&lt;p&gt;构建所用的库：&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Library</source>
            <translation>库</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>版本</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::DatasetsView</name>
        <message>
            <source>Filter rows (model, platform, status)</source>
            <translation>筛选行（模型、平台、状态）</translation>
        </message>
        <message>
            <source>Import measurements...</source>
            <translation>导入测量数据...</translation>
        </message>
        <message>
            <source>Import latency table...</source>
            <translation>导入延迟表...</translation>
        </message>
        <message>
            <source>Export...</source>
            <translation>导出...</translation>
        </message>
        <message>
            <source>Export figure...</source>
            <translation>导出图形...</translation>
        </message>
        <message>
            <source>x:</source>
            <translation>x：</translation>
        </message>
        <message>
            <source>y:</source>
            <translation>y：</translation>
        </message>
        <message>
            <source>Load measurements</source>
            <translation>加载测量数据</translation>
        </message>
        <message>
            <source>MACs</source>
            <translation>MACs</translation>
        </message>
        <message>
            <source>%1 measurements on %2 platforms</source>
            <translation>%2 个平台上的 %1 条测量数据</translation>
        </message>
        <message>
            <source>Could not read the measurements: %1</source>
            <translation>无法读取测量数据：%1</translation>
        </message>
        <message>
            <source>%1 latency (ms)</source>
            <translation>%1 延迟（毫秒）</translation>
        </message>
        <message>
            <source>latency (ms)</source>
            <translation>延迟（毫秒）</translation>
        </message>
        <message>
            <source>Open a project first (File &gt; Open Project).</source>
            <translation>请先打开项目（文件 &gt; 打开项目）。</translation>
        </message>
        <message>
            <source>Import</source>
            <translation>导入</translation>
        </message>
        <message>
            <source>Tables (*.csv *.json *.csv.gz);;All files (*)</source>
            <translation>表格 (*.csv *.json *.csv.gz);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Import %1</source>
            <translation>导入 %1</translation>
        </message>
        <message>
            <source>%1 — first problem: %2</source>
            <translation>%1 — 第一个问题：%2</translation>
        </message>
        <message>
            <source>Import failed: %1</source>
            <translation>导入失败：%1</translation>
        </message>
        <message>
            <source>Export measurements</source>
            <translation>导出测量数据</translation>
        </message>
        <message>
            <source>CSV (*.csv);;JSON (*.json)</source>
            <translation>CSV (*.csv);;JSON (*.json)</translation>
        </message>
        <message>
            <source>Export %1</source>
            <translation>导出 %1</translation>
        </message>
        <message>
            <source>Export failed: %1</source>
            <translation>导出失败：%1</translation>
        </message>
        <message>
            <source>Export figure</source>
            <translation>导出图形</translation>
        </message>
        <message>
            <source>PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</source>
            <translation>PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::DeviceTableModel</name>
        <message>
            <source>key (%1)</source>
            <translation>密钥（%1）</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Host:port</source>
            <translation>主机:端口</translation>
        </message>
        <message>
            <source>User</source>
            <translation>用户</translation>
        </message>
        <message>
            <source>Authentication</source>
            <translation>认证方式</translation>
        </message>
        <message>
            <source>Work dir</source>
            <translation>工作目录</translation>
        </message>
        <message>
            <source>Platforms</source>
            <translation>平台</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::DevicesView</name>
        <message>
            <source>Add</source>
            <translation>添加</translation>
        </message>
        <message>
            <source>Save changes</source>
            <translation>保存修改</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <source>Test connection</source>
            <translation>测试连接</translation>
        </message>
        <message>
            <source>Deploy</source>
            <translation>部署</translation>
        </message>
        <message>
            <source>Start campaign</source>
            <translation>开始测量任务</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>key file</source>
            <translation>密钥文件</translation>
        </message>
        <message>
            <source>ssh-agent</source>
            <translation>ssh-agent</translation>
        </message>
        <message>
            <source>password (asked each time)</source>
            <translation>密码（每次询问）</translation>
        </message>
        <message>
            <source>All models</source>
            <translation>全部模型</translation>
        </message>
        <message>
            <source>e.g. jetson-nano</source>
            <translation>例如 jetson-nano</translation>
        </message>
        <message>
            <source>host name or address</source>
            <translation>主机名或地址</translation>
        </message>
        <message>
            <source>private key file (key authentication)</source>
            <translation>私钥文件（密钥认证）</translation>
        </message>
        <message>
            <source>e.g. torch-cpu-1t,opencv-cpu-1t</source>
            <translation>例如 torch-cpu-1t,opencv-cpu-1t</translation>
        </message>
        <message>
            <source>empty: each device's platforms</source>
            <translation>留空：使用各设备自己的平台</translation>
        </message>
        <message>
            <source>Browse...</source>
            <translation>浏览...</translation>
        </message>
        <message>
            <source>Board</source>
            <translation>开发板</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>主机</translation>
        </message>
        <message>
            <source>Port</source>
            <translation>端口</translation>
        </message>
        <message>
            <source>User</source>
            <translation>用户</translation>
        </message>
        <message>
            <source>Authentication</source>
            <translation>认证方式</translation>
        </message>
        <message>
            <source>Key file</source>
            <translation>密钥文件</translation>
        </message>
        <message>
            <source>Work dir</source>
            <translation>工作目录</translation>
        </message>
        <message>
            <source>Platforms</source>
            <translation>平台</translation>
        </message>
        <message>
            <source>Campaign</source>
            <translation>测量任务</translation>
        </message>
        <message>
            <source>Models</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Min runs</source>
            <translation>最少运行次数</translation>
        </message>
        <message>
            <source>Max runs</source>
            <translation>最多运行次数</translation>
        </message>
        <message>
            <source>Max seconds</source>
            <translation>最长秒数</translation>
        </message>
        <message>
            <source>Private key file</source>
            <translation>私钥文件</translation>
        </message>
        <message>
            <source>Name: enter a name for the board (used in platform ids ssh:&lt;name&gt;:&lt;platform&gt;).</source>
            <translation>名称：请为开发板输入名称（用于平台 ID ssh:&lt;名称&gt;:&lt;平台&gt;）。</translation>
        </message>
        <message>
            <source>Name: a board name cannot contain ':'.</source>
            <translation>名称：开发板名称不能包含“:”。</translation>
        </message>
        <message>
            <source>Host: enter the board's host name or address.</source>
            <translation>主机：请输入开发板的主机名或地址。</translation>
        </message>
        <message>
            <source>Port: '%1' is not a port number between 1 and 65535.</source>
            <translation>端口：“%1”不是 1 到 65535 之间的端口号。</translation>
        </message>
        <message>
            <source>User: enter the login user on the board.</source>
            <translation>用户：请输入开发板上的登录用户。</translation>
        </message>
        <message>
            <source>Key file: key authentication needs a private key file (or choose ssh-agent or password).</source>
            <translation>密钥文件：密钥认证需要私钥文件（或改选 ssh-agent 或密码）。</translation>
        </message>
        <message>
            <source>Work dir: enter the folder on the board for the agent and models (relative to the home directory).</source>
            <translation>工作目录：请输入开发板上存放代理程序和模型的文件夹（相对于主目录）。</translation>
        </message>
        <message>
            <source>Read devices</source>
            <translation>读取设备</translation>
        </message>
        <message>
            <source>Could not read the devices of %1: %2</source>
            <translation>无法读取 %1 的设备：%2</translation>
        </message>
        <message>
            <source>Update device %1</source>
            <translation>更新设备 %1</translation>
        </message>
        <message>
            <source>Add device %1</source>
            <translation>添加设备 %1</translation>
        </message>
        <message>
            <source>%1: saved</source>
            <translation>%1：已保存</translation>
        </message>
        <message>
            <source>Select a board in the table to edit it, or use Add for a new one.</source>
            <translation>请在表格中选择要编辑的开发板，或用“添加”新建一个。</translation>
        </message>
        <message>
            <source>Select a board in the table first.</source>
            <translation>请先在表格中选择一个开发板。</translation>
        </message>
        <message>
            <source>Remove device %1</source>
            <translation>移除设备 %1</translation>
        </message>
        <message>
            <source>%1: removed (its measurements stay)</source>
            <translation>%1：已移除（其测量结果保留）</translation>
        </message>
        <message>
            <source>Secret</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>Unknown host key</source>
            <translation>未知的主机密钥</translation>
        </message>
        <message>
            <source>%1 (%2) presented a host key that is not in the workbench's known_hosts:

%3

Check it on the board (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before accepting it.</source>
            <translation>%1（%2）提供的主机密钥不在工作台的 known_hosts 中：

%3

接受前请在开发板上核对（ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub）。</translation>
        </message>
        <message>
            <source>Accept</source>
            <translation>接受</translation>
        </message>
        <message>
            <source>Reject</source>
            <translation>拒绝</translation>
        </message>
        <message>
            <source>testing...</source>
            <translation>正在测试...</translation>
        </message>
        <message>
            <source>Test connection to %1</source>
            <translation>测试到 %1 的连接</translation>
        </message>
        <message>
            <source>%1: unknown host key %2</source>
            <translation>%1：未知的主机密钥 %2</translation>
        </message>
        <message>
            <source>%1: host key accepted, recording it in %2</source>
            <translation>%1：已接受主机密钥，记录到 %2</translation>
        </message>
        <message>
            <source>untrusted host key %1</source>
            <translation>不受信任的主机密钥 %1</translation>
        </message>
        <message>
            <source>connected: %1</source>
            <translation>已连接：%1</translation>
        </message>
        <message>
            <source>connected (no agent deployed yet)</source>
            <translation>已连接（尚未部署代理程序）</translation>
        </message>
        <message>
            <source>%1: connected to %2, host key %3</source>
            <translation>%1：已连接到 %2，主机密钥 %3</translation>
        </message>
        <message>
            <source>failed: %1</source>
            <translation>失败：%1</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <source>Could not connect to %1: %2</source>
            <translation>无法连接到 %1：%2</translation>
        </message>
        <message>
            <source>deploying...</source>
            <translation>正在部署...</translation>
        </message>
        <message>
            <source>Deploy to %1</source>
            <translation>部署到 %1</translation>
        </message>
        <message>
            <source>deployed: %1 file(s) uploaded, %2 already there</source>
            <translation>已部署：上传 %1 个文件，%2 个已存在</translation>
        </message>
        <message>
            <source>Could not deploy to %1: %2</source>
            <translation>无法部署到 %1：%2</translation>
        </message>
        <message>
            <source>Select one or more boards in the table first.</source>
            <translation>请先在表格中选择一个或多个开发板。</translation>
        </message>
        <message>
            <source>cancelling the campaign (it stays resumable)</source>
            <translation>正在取消测量任务（之后可继续）</translation>
        </message>
        <message>
            <source>A campaign is already running; cancel it first.</source>
            <translation>已有测量任务在运行，请先取消。</translation>
        </message>
        <message>
            <source>Min runs: '%1' is not a positive whole number.</source>
            <translation>最少运行次数：“%1”不是正整数。</translation>
        </message>
        <message>
            <source>Max runs: '%1' must be a whole number of at least min runs.</source>
            <translation>最多运行次数：“%1”必须是不小于最少运行次数的整数。</translation>
        </message>
        <message>
            <source>Max seconds: '%1' is not a positive number.</source>
            <translation>最长秒数：“%1”不是正数。</translation>
        </message>
        <message>
            <source>starting campaign...</source>
            <translation>正在启动测量任务...</translation>
        </message>
        <message>
            <source>Resume device campaign</source>
            <translation>继续设备测量任务</translation>
        </message>
        <message>
            <source>Device campaign</source>
            <translation>设备测量任务</translation>
        </message>
        <message>
            <source>%1: connected</source>
            <translation>%1：已连接</translation>
        </message>
        <message>
            <source>%1: deployed (%2)</source>
            <translation>%1：已部署（%2）</translation>
        </message>
        <message>
            <source>%1 [%2/%3] %4 on %5: %6 %7 ms</source>
            <translation>%1 [%2/%3] %4 在 %5 上：%6 %7 毫秒</translation>
        </message>
        <message>
            <source>%1: connection lost, reconnecting: %2</source>
            <translation>%1：连接断开，正在重连：%2</translation>
        </message>
        <message>
            <source>%1: finished %2/%3</source>
            <translation>%1：已完成 %2/%3</translation>
        </message>
        <message>
            <source>campaign: %1 measured, %2 unsupported, %3 failed</source>
            <translation>测量任务：已测 %1，不支持 %2，失败 %3</translation>
        </message>
        <message>
            <source>, cancelled (resumable)</source>
            <translation>，已取消（可继续）</translation>
        </message>
        <message>
            <source>, stopped: %1</source>
            <translation>，已停止：%1</translation>
        </message>
        <message>
            <source>The campaign stopped early (Resume continues it): %1</source>
            <translation>测量任务提前停止（“继续”可接着运行）：%1</translation>
        </message>
        <message>
            <source>The campaign failed: %1</source>
            <translation>测量任务失败：%1</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::FeatureComparisonModel</name>
        <message>
            <source>n/a</source>
            <translation>无</translation>
        </message>
        <message>
            <source>Feature</source>
            <translation>特征</translation>
        </message>
        <message>
            <source>Dimension</source>
            <translation>维度</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::FeatureTableModel</name>
        <message>
            <source>Feature</source>
            <translation>特征</translation>
        </message>
        <message>
            <source>Dimension</source>
            <translation>维度</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>值</translation>
        </message>
        <message>
            <source>Definition</source>
            <translation>定义</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::FeaturesView</name>
        <message>
            <source>Add to comparison</source>
            <translation>加入对比</translation>
        </message>
        <message>
            <source>Features of the open model; pin models to compare them side by side.</source>
            <translation>当前模型的特征；固定多个模型即可并排对比。</translation>
        </message>
        <message>
            <source>Clear comparison</source>
            <translation>清除对比</translation>
        </message>
        <message>
            <source>Layer-type proportions</source>
            <translation>层类型占比</translation>
        </message>
        <message>
            <source>Data-flow buckets (output plane and channels)</source>
            <translation>数据流分桶（输出平面与通道）</translation>
        </message>
        <message>
            <source>share of layers</source>
            <translation>层占比</translation>
        </message>
        <message>
            <source>layers</source>
            <translation>层数</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::GraphView</name>
        <message>
            <source>Find a node by name or operator (Enter: next)</source>
            <translation>按名称或算子查找节点（回车：下一个）</translation>
        </message>
        <message>
            <source>Zoom in</source>
            <translation>放大</translation>
        </message>
        <message>
            <source>Zoom out</source>
            <translation>缩小</translation>
        </message>
        <message>
            <source>Fit</source>
            <translation>适应窗口</translation>
        </message>
        <message>
            <source>Click a node to see its attributes, shapes, MACs and parameters.</source>
            <translation>点击节点查看其属性、形状、MACs 和参数。</translation>
        </message>
        <message>
            <source>&lt;span style='color:#c62828'&gt;&lt;b&gt;&amp;#9632;&lt;/b&gt;&lt;/span&gt; critical path</source>
            <translation>&lt;span style='color:#c62828'&gt;&lt;b&gt;&amp;#9632;&lt;/b&gt;&lt;/span&gt; 关键路径</translation>
        </message>
        <message>
            <source>input %1</source>
            <translation>输入 %1</translation>
        </message>
        <message>
            <source> (constant)</source>
            <translation>（常量）</translation>
        </message>
        <message>
            <source>output</source>
            <translation>输出</translation>
        </message>
        <message>
            <source>MACs</source>
            <translation>MACs</translation>
        </message>
        <message>
            <source>FLOPs</source>
            <translation>FLOPs</translation>
        </message>
        <message>
            <source>parameters</source>
            <translation>参数</translation>
        </message>
        <message>
            <source>memory access</source>
            <translation>访存量</translation>
        </message>
        <message>
            <source>B</source>
            <translation>B</translation>
        </message>
        <message>
            <source>tensor</source>
            <translation>张量</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::InputShapeDialog</name>
        <message>
            <source>Input shape</source>
            <translation>输入形状</translation>
        </message>
        <message>
            <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; has inputs with symbolic dimensions:&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;&lt;p&gt;Enter the shape of its first input, e.g. 1x3x224x224.&lt;/p&gt;</source>
            <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; 的输入含有符号维度：&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;&lt;p&gt;请输入其第一个输入的形状，例如 1x3x224x224。&lt;/p&gt;</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::JobsModel</name>
        <message>
            <source>cancelling</source>
            <translation>正在取消</translation>
        </message>
        <message>
            <source>running</source>
            <translation>运行中</translation>
        </message>
        <message>
            <source>finished</source>
            <translation>已完成</translation>
        </message>
        <message>
            <source>failed: %1</source>
            <translation>失败：%1</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>Job</source>
            <translation>任务</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Progress (%)</source>
            <translation>进度（%）</translation>
        </message>
        <message>
            <source>unknown error</source>
            <translation>未知错误</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::KfePanel</name>
        <message>
            <source>Run KFE</source>
            <translation>运行 KFE</translation>
        </message>
        <message>
            <source>Key Feature Extraction on dataset</source>
            <translation>关键特征提取：数据集</translation>
        </message>
        <message>
            <source>platform</source>
            <translation>平台</translation>
        </message>
        <message>
            <source>picks</source>
            <translation>选取数</translation>
        </message>
        <message>
            <source>Choose a dataset with measured latencies and a platform, then run KFE.</source>
            <translation>选择一个已有延迟测量的数据集和一个平台，然后运行 KFE。</translation>
        </message>
        <message>
            <source>Residual trace</source>
            <translation>残差轨迹</translation>
        </message>
        <message>
            <source>Read KFE choices</source>
            <translation>读取 KFE 选项</translation>
        </message>
        <message>
            <source>Could not read the project: %1</source>
            <translation>无法读取项目：%1</translation>
        </message>
        <message>
            <source>Running KFE...</source>
            <translation>正在运行 KFE...</translation>
        </message>
        <message>
            <source>KFE on %1 / %2</source>
            <translation>KFE：%1 / %2</translation>
        </message>
        <message>
            <source>KFE failed: %1</source>
            <translation>KFE 失败：%1</translation>
        </message>
        <message>
            <source>%1 features picked from %2 networks of '%3' on %4.</source>
            <translation>从“%3”在 %4 上的 %2 个网络中选出了 %1 个特征。</translation>
        </message>
        <message>
            <source>features picked</source>
            <translation>已选特征数</translation>
        </message>
        <message>
            <source>residual RMS (ms)</source>
            <translation>残差均方根（毫秒）</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::KfeResultModel</name>
        <message>
            <source>Pick</source>
            <translation>序号</translation>
        </message>
        <message>
            <source>Feature</source>
            <translation>特征</translation>
        </message>
        <message>
            <source>|r| at pick</source>
            <translation>选取时 |r|</translation>
        </message>
        <message>
            <source>Coefficient (ms per unit)</source>
            <translation>系数（毫秒/单位）</translation>
        </message>
        <message>
            <source>Residual RMS (ms)</source>
            <translation>残差均方根（毫秒）</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::MainWindow</name>
        <message>
            <source>Sniper Workbench</source>
            <translation>Sniper 工作台</translation>
        </message>
        <message>
            <source>Open an ONNX model (File &gt; Open Model...) or double-click a model in the project.</source>
            <translation>打开 ONNX 模型（文件 &gt; 打开模型...），或在项目中双击一个模型。</translation>
        </message>
        <message>
            <source>Graph</source>
            <translation>计算图</translation>
        </message>
        <message>
            <source>Nodes and features</source>
            <translation>节点与特征</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Features</source>
            <translation>特征</translation>
        </message>
        <message>
            <source>Datasets</source>
            <translation>数据集</translation>
        </message>
        <message>
            <source>Generator and profiling</source>
            <translation>生成与性能测量</translation>
        </message>
        <message>
            <source>Project</source>
            <translation>项目</translation>
        </message>
        <message>
            <source>Cancel selected job</source>
            <translation>取消所选任务</translation>
        </message>
        <message>
            <source>Jobs</source>
            <translation>任务</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;New Project...</source>
            <translation>新建项目(&amp;N)...</translation>
        </message>
        <message>
            <source>New project</source>
            <translation>新建项目</translation>
        </message>
        <message>
            <source>Projects (*.sniper)</source>
            <translation>项目 (*.sniper)</translation>
        </message>
        <message>
            <source>Open &amp;Project...</source>
            <translation>打开项目(&amp;P)...</translation>
        </message>
        <message>
            <source>Open project</source>
            <translation>打开项目</translation>
        </message>
        <message>
            <source>Projects (*.sniper);;All files (*)</source>
            <translation>项目 (*.sniper);;所有文件 (*)</translation>
        </message>
        <message>
            <source>&amp;Recent Projects</source>
            <translation>最近的项目(&amp;R)</translation>
        </message>
        <message>
            <source>Open &amp;Default Project</source>
            <translation>打开默认项目(&amp;D)</translation>
        </message>
        <message>
            <source>&amp;Open Model...</source>
            <translation>打开模型(&amp;O)...</translation>
        </message>
        <message>
            <source>Open ONNX model</source>
            <translation>打开 ONNX 模型</translation>
        </message>
        <message>
            <source>ONNX models (*.onnx)</source>
            <translation>ONNX 模型 (*.onnx)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;About Sniper Workbench</source>
            <translation>关于 Sniper 工作台(&amp;A)</translation>
        </message>
        <message>
            <source>The language changes when the workbench restarts.</source>
            <translation>语言将在工作台重启后生效。</translation>
        </message>
        <message>
            <source>Not imported: %1. Only ONNX models (.onnx files) can be dropped here; export other formats to ONNX first.</source>
            <translation>未导入：%1。此处只能拖放 ONNX 模型（.onnx 文件）；其他格式请先导出为 ONNX。</translation>
        </message>
        <message numerus="yes">
            <source>Import %n model(s)</source>
            <translation>
                <numerusform>导入 %n 个模型</numerusform>
            </translation>
        </message>
        <message>
            <source>Some files were not added to the project: %1</source>
            <translation>部分文件未加入项目：%1</translation>
        </message>
        <message>
            <source>Could not add the models to the project: %1</source>
            <translation>无法将模型加入项目：%1</translation>
        </message>
        <message>
            <source>Opening project %1...</source>
            <translation>正在打开项目 %1...</translation>
        </message>
        <message>
            <source>Open project %1</source>
            <translation>打开项目 %1</translation>
        </message>
        <message>
            <source>Sniper Workbench — %1</source>
            <translation>Sniper 工作台 — %1</translation>
        </message>
        <message>
            <source>Project opened</source>
            <translation>项目已打开</translation>
        </message>
        <message>
            <source>Could not open the project %1: %2. Choose another file (File &gt; Open Project) or create a new one.</source>
            <translation>无法打开项目 %1：%2。请选择其他文件（文件 &gt; 打开项目）或新建一个项目。</translation>
        </message>
        <message>
            <source>Refresh project</source>
            <translation>刷新项目</translation>
        </message>
        <message>
            <source>Importing %1...</source>
            <translation>正在导入 %1...</translation>
        </message>
        <message>
            <source>Open %1</source>
            <translation>打开 %1</translation>
        </message>
        <message>
            <source>Not opened: %1 needs an input shape.</source>
            <translation>未打开：%1 需要输入形状。</translation>
        </message>
        <message>
            <source>Could not open the model: %1
Check that the file is an ONNX model with static input shapes and try again.</source>
            <translation>无法打开模型：%1
请确认该文件是输入形状固定的 ONNX 模型，然后重试。</translation>
        </message>
        <message>
            <source>Open model %1</source>
            <translation>打开模型 %1</translation>
        </message>
        <message>
            <source>Could not open the model: %1</source>
            <translation>无法打开模型：%1</translation>
        </message>
        <message>
            <source>%1: %2 nodes, %3 layers, %4 parameters, %5 GMACs, critical path %6 layers</source>
            <translation>%1：%2 个节点，%3 层，%4 个参数，%5 GMACs，关键路径 %6 层</translation>
        </message>
        <message>
            <source>Model loaded</source>
            <translation>模型已加载</translation>
        </message>
        <message>
            <source>Partition</source>
            <translation>划分</translation>
        </message>
        <message>
            <source>Scheduling</source>
            <translation>调度</translation>
        </message>
        <message>
            <source>Training</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>Devices</source>
            <translation>设备</translation>
        </message>
        <message>
            <source>Predicting the latency with the project&apos;s newest predictor...</source>
            <translation>正在用项目中最新的预测器预测延迟……</translation>
        </message>
        <message>
            <source>Predict %1</source>
            <translation>预测 %1</translation>
        </message>
        <message>
            <source>No trained latency predictor in the project (Training view, or sniper train).</source>
            <translation>项目中没有训练好的延迟预测器（训练视图，或 sniper train）。</translation>
        </message>
        <message>
            <source>%1 %2 ms</source>
            <translation>%1 %2 ms</translation>
        </message>
        <message>
            <source>Predicted latency (%1): %2</source>
            <translation>预测延迟（%1）：%2</translation>
        </message>
        <message>
            <source>Could not predict the latency: %1</source>
            <translation>无法预测延迟：%1</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::MeasurementTableModel</name>
        <message>
            <source>%1, contended</source>
            <translation>%1，受干扰</translation>
        </message>
        <message>
            <source>No clean window: the contention probe read the platform slower than calibrated for the whole measurement and its retries. Kept and shown; predictors do not learn from it.</source>
            <translation>没有干净的测量窗口：在整个测量及其重试期间，干扰探针读出的平台速度都慢于校准值。该测量被保留并显示，但预测器不会用它训练。</translation>
        </message>
        <message>
            <source>Discarded</source>
            <translation>丢弃的运行</translation>
        </message>
        <message>
            <source>Probe ratio</source>
            <translation>探针比值</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Platform</source>
            <translation>平台</translation>
        </message>
        <message>
            <source>Batch</source>
            <translation>批大小</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Median (ms)</source>
            <translation>中位数（毫秒）</translation>
        </message>
        <message>
            <source>Mean (ms)</source>
            <translation>均值（毫秒）</translation>
        </message>
        <message>
            <source>Std (ms)</source>
            <translation>标准差（毫秒）</translation>
        </message>
        <message>
            <source>Min (ms)</source>
            <translation>最小值（毫秒）</translation>
        </message>
        <message>
            <source>P90 (ms)</source>
            <translation>P90（毫秒）</translation>
        </message>
        <message>
            <source>Runs</source>
            <translation>运行次数</translation>
        </message>
        <message>
            <source>MACs</source>
            <translation>MACs</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::ModuleSelectionModel</name>
        <message>
            <source>Module</source>
            <translation>模块</translation>
        </message>
        <message>
            <source>Time-efficient auto-selection</source>
            <translation>时间高效自动选择</translation>
        </message>
        <message>
            <source>Space-efficient auto-selection</source>
            <translation>空间高效自动选择</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::ModuleStudyModel</name>
        <message>
            <source>Module</source>
            <translation>模块</translation>
        </message>
        <message>
            <source>Regressor</source>
            <translation>回归器</translation>
        </message>
        <message>
            <source>P10 (%)</source>
            <translation>P10 (%)</translation>
        </message>
        <message>
            <source>Acc = P20 (%)</source>
            <translation>Acc = P20 (%)</translation>
        </message>
        <message>
            <source>R²</source>
            <translation>R²</translation>
        </message>
        <message>
            <source>RMSE (ms)</source>
            <translation>RMSE (毫秒)</translation>
        </message>
        <message>
            <source>Time per sample (ms)</source>
            <translation>每样本时间（毫秒）</translation>
        </message>
        <message>
            <source>Size (KB)</source>
            <translation>大小 (KB)</translation>
        </message>
        <message>
            <source>Epochs</source>
            <translation>训练轮数</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::NodeTableModel</name>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>Node</source>
            <translation>节点</translation>
        </message>
        <message>
            <source>Operator</source>
            <translation>算子</translation>
        </message>
        <message>
            <source>Output shape</source>
            <translation>输出形状</translation>
        </message>
        <message>
            <source>MACs</source>
            <translation>MACs</translation>
        </message>
        <message>
            <source>Parameters</source>
            <translation>参数</translation>
        </message>
        <message>
            <source>Critical path</source>
            <translation>关键路径</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::PartitionView</name>
        <message>
            <source>Per-cut device time f and upload time g</source>
            <translation>各切分点的设备时间 f 与上传时间 g</translation>
        </message>
        <message>
            <source>f: device time (ms)</source>
            <translation>f：设备时间（毫秒）</translation>
        </message>
        <message>
            <source>g: upload + cloud time (ms)</source>
            <translation>g：上传 + 云端时间（毫秒）</translation>
        </message>
        <message>
            <source>l*-1 = cut %1</source>
            <translation>l*-1 = 切分点 %1</translation>
        </message>
        <message>
            <source>l* = cut %1 (%2)</source>
            <translation>l* = 切分点 %1（%2）</translation>
        </message>
        <message>
            <source>cut point (0: cloud-only, last: local-only)</source>
            <translation>切分点（0：仅云端，最后一个：仅本地）</translation>
        </message>
        <message>
            <source>ms per job</source>
            <translation>每个任务的毫秒数</translation>
        </message>
        <message>
            <source>Makespan of all jobs</source>
            <translation>全部任务的完工时间</translation>
        </message>
        <message>
            <source>makespan (s)</source>
            <translation>完工时间（秒）</translation>
        </message>
        <message>
            <source>seconds</source>
            <translation>秒</translation>
        </message>
        <message>
            <source>computation (device)</source>
            <translation>计算（设备）</translation>
        </message>
        <message>
            <source>communication (uplink)</source>
            <translation>通信（上行链路）</translation>
        </message>
        <message>
            <source>job %1, cut %2: %3 to %4 ms</source>
            <translation>任务 %1，切分点 %2：%3 至 %4 毫秒</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 毫秒</translation>
        </message>
        <message>
            <source>JPS schedule (Johnson's rule): blue jobs cut at l*-1, orange at l*; makespan %1 ms</source>
            <translation>JPS 调度（Johnson 规则）：蓝色任务在 l*-1 处切分，橙色在 l* 处；完工时间 %1 毫秒</translation>
        </message>
        <message>
            <source>Measure layers</source>
            <translation>测量各层</translation>
        </message>
        <message>
            <source>none (cloud time negligible)</source>
            <translation>无（云端时间忽略不计）</translation>
        </message>
        <message>
            <source>Device platform:</source>
            <translation>设备平台：</translation>
        </message>
        <message>
            <source>Cloud platform:</source>
            <translation>云端平台：</translation>
        </message>
        <message>
            <source>Model:</source>
            <translation>模型：</translation>
        </message>
        <message>
            <source>Jobs:</source>
            <translation>任务数：</translation>
        </message>
        <message>
            <source>3G (1.1 Mbps)</source>
            <translation>3G（1.1 Mbps）</translation>
        </message>
        <message>
            <source>4G (5.85 Mbps)</source>
            <translation>4G（5.85 Mbps）</translation>
        </message>
        <message>
            <source>Wi-Fi (18.88 Mbps)</source>
            <translation>Wi-Fi（18.88 Mbps）</translation>
        </message>
        <message>
            <source>Uplink bandwidth, log scale from 0.1 to 100 Mbps</source>
            <translation>上行带宽，对数刻度，0.1 至 100 Mbps</translation>
        </message>
        <message>
            <source>e.g. 2.5Mbps, 800kbps</source>
            <translation>例如 2.5Mbps、800kbps</translation>
        </message>
        <message>
            <source>Bandwidth:</source>
            <translation>带宽：</translation>
        </message>
        <message>
            <source>Choose a model and a device platform and press Measure layers; then move the bandwidth slider to re-plan.</source>
            <translation>选择模型和设备平台后点击“测量各层”；然后拖动带宽滑块即可重新规划。</translation>
        </message>
        <message>
            <source>Plan</source>
            <translation>规划</translation>
        </message>
        <message>
            <source>Cut on the graph</source>
            <translation>图上的切分</translation>
        </message>
        <message>
            <source>Bandwidth not understood: %1. Type a positive value with a unit, e.g. 5.85Mbps.</source>
            <translation>无法识别带宽：%1。请输入带单位的正数，例如 5.85Mbps。</translation>
        </message>
        <message>
            <source>%1 (open model)</source>
            <translation>%1（已打开的模型）</translation>
        </message>
        <message>
            <source>No model chosen: open a model or choose one of the bundled models.</source>
            <translation>未选择模型：请打开一个模型，或从内置模型中选择一个。</translation>
        </message>
        <message>
            <source>Measuring the layers of %1 on %2...</source>
            <translation>正在 %2 上测量 %1 的各层……</translation>
        </message>
        <message>
            <source>Partition: measure %1 on %2</source>
            <translation>划分：在 %2 上测量 %1</translation>
        </message>
        <message>
            <source>%1 Mbps</source>
            <translation>%1 Mbps</translation>
        </message>
        <message>
            <source>The bandwidth must be positive (got %1 Mbps): pick a preset or move the slider.</source>
            <translation>带宽必须为正数（当前为 %1 Mbps）：请选择预设值或拖动滑块。</translation>
        </message>
        <message>
            <source>Cannot plan %1 jobs of %2: %3</source>
            <translation>无法规划 %2 的 %1 个任务：%3</translation>
        </message>
        <message>
            <source>%1 jobs cut after %2 (cut %3) and %4 jobs after %5 (cut %6)</source>
            <translation>%1 个任务在 %2 之后切分（切分点 %3），%4 个任务在 %5 之后切分（切分点 %6）</translation>
        </message>
        <message>
            <source>all %1 jobs cut after %2 (cut %3)</source>
            <translation>全部 %1 个任务在 %2 之后切分（切分点 %3）</translation>
        </message>
        <message>
            <source>%1 on %2: %3 layers, %4 cut points (%5 before virtual blocks), local-only %6 ms per job. JPS at %7 Mbps: %8; makespan %9 ms, %10% below local-only.</source>
            <translation>%1 在 %2 上：%3 层，%4 个切分点（合并虚拟块前 %5 个），仅本地每个任务 %6 毫秒。JPS 在 %7 Mbps 下：%8；完工时间 %9 毫秒，比仅本地少 %10%。</translation>
        </message>
        <message>
            <source>Measure a model to see its cut on the graph.</source>
            <translation>测量模型后即可在图上查看其切分。</translation>
        </message>
        <message>
            <source>Save to project</source>
            <translation>保存到项目</translation>
        </message>
        <message>
            <source>Could not measure %1 on %2</source>
            <translation>无法在 %2 上测量 %1</translation>
        </message>
        <message>
            <source>Partition: open experiment %1</source>
            <translation>划分：打开实验 %1</translation>
        </message>
        <message>
            <source>Opening the stored partition example %1...</source>
            <translation>正在打开已保存的划分示例 %1...</translation>
        </message>
        <message>
            <source>Could not open the partition example %1</source>
            <translation>无法打开划分示例 %1</translation>
        </message>
        <message>
            <source>Partition: look for stored examples</source>
            <translation>划分：查找已保存的示例</translation>
        </message>
        <message>
            <source>%1: %2
Choose another model or platform and press Measure layers again.</source>
            <translation>%1：%2
请选择其他模型或平台，然后再次点击“测量各层”。</translation>
        </message>
        <message>
            <source>Nothing to save: measure a model first.</source>
            <translation>没有可保存的内容：请先测量一个模型。</translation>
        </message>
        <message>
            <source>%1 on %2, %3 jobs</source>
            <translation>%1，%2 上，%3 个作业</translation>
        </message>
        <message>
            <source>Save partition example %1</source>
            <translation>保存划分示例 %1</translation>
        </message>
        <message>
            <source>Could not save the partition example: %1</source>
            <translation>无法保存划分示例：%1</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::ProfilingView</name>
        <message>
            <source>Generate</source>
            <translation>生成</translation>
        </message>
        <message>
            <source>Profile</source>
            <translation>测量</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Generated networks</source>
            <translation>生成的网络</translation>
        </message>
        <message>
            <source>Realistic (torchvision block families)</source>
            <translation>真实结构（torchvision 模块族）</translation>
        </message>
        <message>
            <source>Random (Ace-Sniper Table IV)</source>
            <translation>随机（Ace-Sniper 表 IV）</translation>
        </message>
        <message>
            <source>Style</source>
            <translation>风格</translation>
        </message>
        <message>
            <source>Families</source>
            <translation>模块族</translation>
        </message>
        <message>
            <source>Smallest MACs</source>
            <translation>最小 MACs</translation>
        </message>
        <message>
            <source>Input planes</source>
            <translation>输入平面</translation>
        </message>
        <message>
            <source>Output planes</source>
            <translation>输出平面</translation>
        </message>
        <message>
            <source>Input channels</source>
            <translation>输入通道</translation>
        </message>
        <message>
            <source>Output channels</source>
            <translation>输出通道</translation>
        </message>
        <message>
            <source>Layer types</source>
            <translation>层类型</translation>
        </message>
        <message>
            <source>Kernels</source>
            <translation>卷积核</translation>
        </message>
        <message>
            <source>Strides</source>
            <translation>步长</translation>
        </message>
        <message>
            <source>Branches</source>
            <translation>分支</translation>
        </message>
        <message>
            <source>Connections</source>
            <translation>连接</translation>
        </message>
        <message>
            <source>Dilations</source>
            <translation>膨胀率</translation>
        </message>
        <message>
            <source>MACs budget (0: none)</source>
            <translation>MACs 预算（0：不限）</translation>
        </message>
        <message>
            <source>Networks</source>
            <translation>网络数</translation>
        </message>
        <message>
            <source>Seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <source>Dataset name</source>
            <translation>数据集名称</translation>
        </message>
        <message>
            <source>Profiling campaign</source>
            <translation>性能测量任务</translation>
        </message>
        <message>
            <source>Warm-up runs</source>
            <translation>预热次数</translation>
        </message>
        <message>
            <source>Minimum runs</source>
            <translation>最少运行次数</translation>
        </message>
        <message>
            <source>Maximum runs</source>
            <translation>最多运行次数</translation>
        </message>
        <message>
            <source>Time cap per measurement (s)</source>
            <translation>每次测量的时间上限（秒）</translation>
        </message>
        <message>
            <source>Target 95% CI half-width of the median</source>
            <translation>中位数 95% 置信区间半宽目标</translation>
        </message>
        <message>
            <source>all models</source>
            <translation>所有模型</translation>
        </message>
        <message>
            <source>Dataset</source>
            <translation>数据集</translation>
        </message>
        <message>
            <source>Ranges are valid.</source>
            <translation>范围有效。</translation>
        </message>
        <message>
            <source>Invalid: %1</source>
            <translation>无效：%1</translation>
        </message>
        <message>
            <source>Open or create a project first (File menu).</source>
            <translation>请先打开或新建项目（文件菜单）。</translation>
        </message>
        <message>
            <source>Generate %1 networks</source>
            <translation>生成 %1 个网络</translation>
        </message>
        <message>
            <source>%1 networks in dataset '%2' (%3 new)</source>
            <translation>数据集“%2”中有 %1 个网络（新增 %3 个）</translation>
        </message>
        <message>
            <source>Generation failed: %1</source>
            <translation>生成失败：%1</translation>
        </message>
        <message>
            <source>Choose at least one platform.</source>
            <translation>请至少选择一个平台。</translation>
        </message>
        <message>
            <source>Resume profiling</source>
            <translation>继续测量</translation>
        </message>
        <message>
            <source>Profile on %1 platforms</source>
            <translation>在 %1 个平台上测量</translation>
        </message>
        <message>
            <source>%1 on %2: %3 ms (%4 runs)</source>
            <translation>%1 在 %2 上：%3 毫秒（%4 次运行）</translation>
        </message>
        <message>
            <source>%1 on %2: %3 — %4</source>
            <translation>%1 在 %2 上：%3 — %4</translation>
        </message>
        <message>
            <source>run %1: %2 measured, %3 unsupported, %4 failed, %5 already present%6</source>
            <translation>运行 %1：已测量 %2，不支持 %3，失败 %4，已存在 %5%6</translation>
        </message>
        <message>
            <source> — cancelled; Resume continues it</source>
            <translation> — 已取消；点击“继续”可接着运行</translation>
        </message>
        <message>
            <source>Profiling failed: %1</source>
            <translation>测量失败：%1</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::ProjectTreeModel</name>
        <message>
            <source>Models</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Platforms</source>
            <translation>平台</translation>
        </message>
        <message>
            <source>Datasets</source>
            <translation>数据集</translation>
        </message>
        <message>
            <source>Predictors</source>
            <translation>预测器</translation>
        </message>
        <message>
            <source>Experiments</source>
            <translation>实验</translation>
        </message>
        <message>
            <source>Project</source>
            <translation>项目</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>详情</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::SchedulingView</name>
        <message>
            <source>simulated time (s)</source>
            <translation>仿真时间（秒）</translation>
        </message>
        <message>
            <source>Throughput of %1 (completed / elapsed)</source>
            <translation>%1 的吞吐量（已完成 / 已用时间）</translation>
        </message>
        <message>
            <source>Throughput</source>
            <translation>吞吐量</translation>
        </message>
        <message>
            <source>Average waiting time of %1 (tasks started)</source>
            <translation>%1 的平均等待时间（已开始的任务）</translation>
        </message>
        <message>
            <source>Average waiting time</source>
            <translation>平均等待时间</translation>
        </message>
        <message>
            <source>Node load of %1 (busy fraction per step)</source>
            <translation>%1 的节点负载（每步忙碌比例）</translation>
        </message>
        <message>
            <source>Node load</source>
            <translation>节点负载</translation>
        </message>
        <message>
            <source>tasks/s</source>
            <translation>任务/秒</translation>
        </message>
        <message>
            <source>ms</source>
            <translation>毫秒</translation>
        </message>
        <message>
            <source>busy fraction</source>
            <translation>忙碌比例</translation>
        </message>
        <message>
            <source>TPS</source>
            <translation>TPS</translation>
        </message>
        <message>
            <source>AWT</source>
            <translation>AWT</translation>
        </message>
        <message>
            <source>node %1 (%2)</source>
            <translation>节点 %1（%2）</translation>
        </message>
        <message>
            <source>node %1: %2</source>
            <translation>节点 %1：%2</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>Tasks per node (%1): blue met the deadline, red missed it; the first %2 of %3 tasks are drawn</source>
            <translation>各节点的任务（%1）：蓝色按时完成，红色错过截止时间；仅绘制 %3 个任务中的前 %2 个</translation>
        </message>
        <message>
            <source>Tasks per node (%1): blue met the deadline, red missed it</source>
            <translation>各节点的任务（%1）：蓝色按时完成，红色错过截止时间</translation>
        </message>
        <message>
            <source>Play</source>
            <translation>播放</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>task %1 (model %2): arrival %3 s, start %4 s, finish %5 s</source>
            <translation>任务 %1（模型 %2）：到达 %3 秒，开始 %4 秒，完成 %5 秒</translation>
        </message>
        <message>
            <source>Average waiting time per policy</source>
            <translation>各策略的平均等待时间</translation>
        </message>
        <message>
            <source>AWT (ms)</source>
            <translation>AWT（毫秒）</translation>
        </message>
        <message>
            <source>Run simulation</source>
            <translation>运行仿真</translation>
        </message>
        <message>
            <source>platform:count,... e.g. torch-cpu-1t:3,opencv-cpu-1t:3</source>
            <translation>平台:数量,... 例如 torch-cpu-1t:3,opencv-cpu-1t:3</translation>
        </message>
        <message>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <source>optional CSV: time_s[,model id or name]; replaces the Poisson arrivals</source>
            <translation>可选 CSV：time_s[,模型 id 或名称]；替代泊松到达</translation>
        </message>
        <message>
            <source>%1x</source>
            <translation>%1 倍</translation>
        </message>
        <message>
            <source>maximum</source>
            <translation>最快</translation>
        </message>
        <message>
            <source>Cluster:</source>
            <translation>集群：</translation>
        </message>
        <message>
            <source>new-network probability p:</source>
            <translation>新网络概率 p：</translation>
        </message>
        <message>
            <source>duration:</source>
            <translation>时长：</translation>
        </message>
        <message>
            <source>seed:</source>
            <translation>随机种子：</translation>
        </message>
        <message>
            <source>Rate T (tasks/s):</source>
            <translation>速率 T（任务/秒）：</translation>
        </message>
        <message>
            <source>Browse...</source>
            <translation>浏览...</translation>
        </message>
        <message>
            <source>Trace:</source>
            <translation>到达轨迹：</translation>
        </message>
        <message>
            <source>Policies:</source>
            <translation>策略：</translation>
        </message>
        <message>
            <source>Restart</source>
            <translation>重新开始</translation>
        </message>
        <message>
            <source>Speed:</source>
            <translation>速度：</translation>
        </message>
        <message>
            <source>Export figures...</source>
            <translation>导出图形...</translation>
        </message>
        <message>
            <source>Replay:</source>
            <translation>回放：</translation>
        </message>
        <message>
            <source>Describe a cluster and a workload and press Run simulation; the event log of each policy can then be replayed.</source>
            <translation>描述集群和工作负载后点击“运行仿真”；之后可回放每个策略的事件日志。</translation>
        </message>
        <message>
            <source>Arrival trace</source>
            <translation>到达轨迹</translation>
        </message>
        <message>
            <source>CSV files (*.csv);;All files (*)</source>
            <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Export the scheduling figures to</source>
            <translation>将调度图形导出到</translation>
        </message>
        <message>
            <source>Could not export the figures: %1</source>
            <translation>无法导出图形：%1</translation>
        </message>
        <message>
            <source>Cluster not understood: %1. Give nodes as platform:count, e.g. torch-cpu-1t:3,opencv-cpu-1t:3.</source>
            <translation>无法解析集群：%1。请以 平台:数量 的形式给出节点，例如 torch-cpu-1t:3,opencv-cpu-1t:3。</translation>
        </message>
        <message>
            <source>The rate T must be a number of tasks per second &gt;= 0 (got '%1').</source>
            <translation>速率 T 必须是 &gt;= 0 的每秒任务数（当前为“%1”）。</translation>
        </message>
        <message>
            <source>No policy chosen: check at least one policy to simulate.</source>
            <translation>未选择策略：请至少勾选一个要仿真的策略。</translation>
        </message>
        <message>
            <source>Scheduling: %1 at T = %2</source>
            <translation>调度：%1，T = %2</translation>
        </message>
        <message>
            <source>The simulation failed: %1
Check the cluster's platforms against the project's measurements and run again.</source>
            <translation>仿真失败：%1
请对照项目的测量数据检查集群的平台，然后重新运行。</translation>
        </message>
        <message>
            <source>%1 tasks of %2 models on %3 nodes.</source>
            <translation>%3 个节点上 %2 个模型的 %1 个任务。</translation>
        </message>
        <message>
            <source>%1: TPS %2 tasks/s, AWT %3 ms, load std %4, deadline misses %5%</source>
            <translation>%1：TPS %2 任务/秒，AWT %3 毫秒，负载标准差 %4，错过截止时间 %5%</translation>
        </message>
        <message>
            <source>Save to project</source>
            <translation>保存到项目</translation>
        </message>
        <message>
            <source>Cannot read the trace %1: %2</source>
            <translation>无法读取到达轨迹 %1：%2</translation>
        </message>
        <message>
            <source>Simulating %1 on %2...</source>
            <translation>正在 %2 上仿真 %1...</translation>
        </message>
        <message>
            <source>Scheduling: reopen experiment %1</source>
            <translation>调度：重新打开实验 %1</translation>
        </message>
        <message>
            <source>Reopening the stored experiment %1...</source>
            <translation>正在重新打开已保存的实验 %1...</translation>
        </message>
        <message>
            <source>Scheduling: look for stored experiments</source>
            <translation>调度：查找已保存的实验</translation>
        </message>
        <message>
            <source>The simulation was cancelled.</source>
            <translation>仿真已取消。</translation>
        </message>
        <message>
            <source>Nothing to save: run a simulation first.</source>
            <translation>没有可保存的内容：请先运行仿真。</translation>
        </message>
        <message>
            <source>%1 at T = %2, p = %3</source>
            <translation>%1，T = %2，p = %3</translation>
        </message>
        <message>
            <source>Save scheduling experiment %1</source>
            <translation>保存调度实验 %1</translation>
        </message>
        <message>
            <source>Saved as experiment %1 &apos;%2&apos;.</source>
            <translation>已保存为实验 %1“%2”。</translation>
        </message>
        <message>
            <source>Could not save the experiment: %1</source>
            <translation>无法保存实验：%1</translation>
        </message>
        <message>
            <source>Stored experiment %1 &apos;%2&apos;, run again: every event log equals the stored one.</source>
            <translation>已保存的实验 %1“%2”已重新运行：每个事件日志都与保存的一致。</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::TrainingMetricsModel</name>
        <message>
            <source>all platforms</source>
            <translation>所有平台</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>对象</translation>
        </message>
        <message>
            <source>Samples</source>
            <translation>样本数</translation>
        </message>
        <message>
            <source>MAPE (%)</source>
            <translation>MAPE (%)</translation>
        </message>
        <message>
            <source>RMSE (ms)</source>
            <translation>RMSE (毫秒)</translation>
        </message>
        <message>
            <source>R²</source>
            <translation>R²</translation>
        </message>
        <message>
            <source>±5% (%)</source>
            <translation>±5% (%)</translation>
        </message>
        <message>
            <source>±10% (%)</source>
            <translation>±10% (%)</translation>
        </message>
        <message>
            <source>±15% (%)</source>
            <translation>±15% (%)</translation>
        </message>
        <message>
            <source>Spearman</source>
            <translation>Spearman 相关系数</translation>
        </message>
    </context>
    <context>
        <name>sniper::views::TrainingView</name>
        <message>
            <source>Train</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Save to project</source>
            <translation>保存到项目</translation>
        </message>
        <message>
            <source>Export...</source>
            <translation>导出...</translation>
        </message>
        <message>
            <source>every measured platform</source>
            <translation>所有已测量的平台</translation>
        </message>
        <message>
            <source>datasets of random networks, comma-separated</source>
            <translation>随机网络数据集，以逗号分隔</translation>
        </message>
        <message>
            <source>Predictor:</source>
            <translation>预测器：</translation>
        </message>
        <message>
            <source>Datasets:</source>
            <translation>数据集：</translation>
        </message>
        <message>
            <source>Platforms:</source>
            <translation>平台：</translation>
        </message>
        <message>
            <source>test fraction:</source>
            <translation>测试集比例：</translation>
        </message>
        <message>
            <source>Split seed:</source>
            <translation>划分随机种子：</translation>
        </message>
        <message>
            <source>learning rate:</source>
            <translation>学习率：</translation>
        </message>
        <message>
            <source>batch:</source>
            <translation>批大小：</translation>
        </message>
        <message>
            <source>patience:</source>
            <translation>耐心值：</translation>
        </message>
        <message>
            <source>references d:</source>
            <translation>参考网络数 d：</translation>
        </message>
        <message>
            <source>seed:</source>
            <translation>随机种子：</translation>
        </message>
        <message>
            <source>Epochs:</source>
            <translation>训练轮数：</translation>
        </message>
        <message>
            <source>Choose a predictor, the datasets and the hyper-parameters and press Train.</source>
            <translation>选择预测器、数据集和超参数，然后点击“训练”。</translation>
        </message>
        <message>
            <source>Loss per epoch</source>
            <translation>每轮损失</translation>
        </message>
        <message>
            <source>train</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>validation</source>
            <translation>验证</translation>
        </message>
        <message>
            <source>epoch</source>
            <translation>轮次</translation>
        </message>
        <message>
            <source>loss (MSE, normalized)</source>
            <translation>损失（MSE，归一化）</translation>
        </message>
        <message>
            <source>Export the predictor</source>
            <translation>导出预测器</translation>
        </message>
        <message>
            <source>ONNX model (*.onnx)</source>
            <translation>ONNX 模型 (*.onnx)</translation>
        </message>
        <message>
            <source>Could not export the predictor: %1</source>
            <translation>无法导出预测器：%1</translation>
        </message>
        <message>
            <source>Exported %1.onnx and %1.json.</source>
            <translation>已导出 %1.onnx 和 %1.json。</translation>
        </message>
        <message>
            <source>%1 must be a whole number &gt;= 1 (got '%2').</source>
            <translation>%1必须是 &gt;= 1 的整数（输入为“%2”）。</translation>
        </message>
        <message>
            <source>%1 must be a whole number &gt;= 0 (got '%2').</source>
            <translation>%1必须是 &gt;= 0 的整数（输入为“%2”）。</translation>
        </message>
        <message>
            <source>No dataset given: name at least one dataset of the project, e.g. generated-300.</source>
            <translation>未指定数据集：请至少填写项目中的一个数据集，例如 generated-300。</translation>
        </message>
        <message>
            <source>The split seed</source>
            <translation>划分随机种子</translation>
        </message>
        <message>
            <source>The test fraction must be a number in (0, 0.8] (got '%1').</source>
            <translation>测试集比例必须是 (0, 0.8] 内的数（输入为“%1”）。</translation>
        </message>
        <message>
            <source>Epochs</source>
            <translation>训练轮数</translation>
        </message>
        <message>
            <source>The learning rate must be a number &gt; 0, e.g. 0.002 (got '%1').</source>
            <translation>学习率必须是大于 0 的数，例如 0.002（输入为“%1”）。</translation>
        </message>
        <message>
            <source>The batch</source>
            <translation>批大小</translation>
        </message>
        <message>
            <source>The patience</source>
            <translation>耐心值</translation>
        </message>
        <message>
            <source>The reference count d</source>
            <translation>参考网络数 d</translation>
        </message>
        <message>
            <source>The seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <source>Training %1...</source>
            <translation>正在训练 %1...</translation>
        </message>
        <message>
            <source>Training: %1 on %2</source>
            <translation>训练：%1，数据 %2</translation>
        </message>
        <message>
            <source>The training failed: %1
Check the datasets and platforms against the project and the reference count d against the number of training networks, then train again.</source>
            <translation>训练失败：%1
请对照项目检查数据集和平台，并对照训练网络数检查参考网络数 d，然后重新训练。</translation>
        </message>
        <message>
            <source>Cancelling at the end of the epoch...</source>
            <translation>将在本轮结束时取消...</translation>
        </message>
        <message>
            <source>Training... epoch %1: train loss %2, validation loss %3</source>
            <translation>正在训练... 第 %1 轮：训练损失 %2，验证损失 %3</translation>
        </message>
        <message>
            <source>Training cancelled after %1 epochs; nothing was evaluated or stored.</source>
            <translation>训练在 %1 轮后已取消；未进行评估，也未保存。</translation>
        </message>
        <message>
            <source>Trained %1 in %2 s: %3 epochs (best %4) on %5 samples. Held-out MAPE %6%.</source>
            <translation>已训练 %1，用时 %2 秒：%3 轮（最佳 %4），%5 个样本。留出集 MAPE %6%。</translation>
        </message>
        <message>
            <source>Predicted vs measured (held-out networks)</source>
            <translation>预测值与测量值（留出网络）</translation>
        </message>
        <message>
            <source>measured (ms)</source>
            <translation>测量值（毫秒）</translation>
        </message>
        <message>
            <source>predicted (ms)</source>
            <translation>预测值（毫秒）</translation>
        </message>
        <message>
            <source>y = x</source>
            <translation>y = x</translation>
        </message>
        <message>
            <source>Error CDF (held-out networks)</source>
            <translation>误差累积分布（留出网络）</translation>
        </message>
        <message>
            <source>absolute percentage error (%)</source>
            <translation>绝对百分比误差 (%)</translation>
        </message>
        <message>
            <source>samples (%)</source>
            <translation>样本 (%)</translation>
        </message>
        <message>
            <source>Nothing to save: train a predictor first.</source>
            <translation>没有可保存的内容：请先训练预测器。</translation>
        </message>
        <message>
            <source>Save predictor %1</source>
            <translation>保存预测器 %1</translation>
        </message>
        <message>
            <source>Stored as predictor %1 in the project.</source>
            <translation>已作为预测器 %1 保存到项目中。</translation>
        </message>
        <message>
            <source>Could not store the predictor: %1</source>
            <translation>无法保存预测器：%1</translation>
        </message>
        <message>
            <source>nothing to export: train a predictor first</source>
            <translation>没有可导出的内容：请先训练预测器</translation>
        </message>
        <message>
            <source>Module-level study (MEDN framework)</source>
            <translation>模块级研究（MEDN 框架）</translation>
        </message>
        <message>
            <source>Module set:</source>
            <translation>模块集：</translation>
        </message>
        <message>
            <source>Metrics</source>
            <translation>指标</translation>
        </message>
        <message>
            <source>Table 5</source>
            <translation>表 5</translation>
        </message>
        <message>
            <source>Auto-selection</source>
            <translation>自动选择</translation>
        </message>
        <message>
            <source>one platform (default torch-cpu-1t)</source>
            <translation>一个平台（默认 torch-cpu-1t）</translation>
        </message>
        <message>
            <source>No module set given: name a module sample set of the project (sniper modules sample).</source>
            <translation>未指定模块集：请填写项目中的一个模块样本集（sniper modules sample）。</translation>
        </message>
        <message>
            <source>The module-level study runs on one platform: name a single platform.</source>
            <translation>模块级研究在一个平台上运行：请只填写一个平台。</translation>
        </message>
        <message>
            <source>module-level study</source>
            <translation>模块级研究</translation>
        </message>
        <message>
            <source>Module-level study of set %1 on %2: %3 regressors trained over %4 epochs.</source>
            <translation>模块集 %1 在 %2 上的模块级研究：共训练 %3 个回归器，合计 %4 轮。</translation>
        </message>
        <message>
            <source>Save module study of %1</source>
            <translation>保存 %1 的模块研究</translation>
        </message>
        <message>
            <source>Stored the study as experiment %1 in the project.</source>
            <translation>已将研究作为实验 %1 保存到项目中。</translation>
        </message>
        <message>
            <source>Could not store the study: %1</source>
            <translation>无法保存研究：%1</translation>
        </message>
        <message>
            <source>export writes network-level predictors; the module-level study is stored with Save to project</source>
            <translation>导出仅适用于网络级预测器；模块级研究请使用“保存到项目”保存</translation>
        </message>
        <message>
            <source>Training: open predictor %1</source>
            <translation>训练：打开预测器 %1</translation>
        </message>
        <message>
            <source>Opening the stored predictor %1...</source>
            <translation>正在打开已保存的预测器 %1...</translation>
        </message>
        <message>
            <source>Training: look for stored predictors</source>
            <translation>训练：查找已保存的预测器</translation>
        </message>
        <message>
            <source>Stored predictor %1 &apos;%2&apos;, evaluated again on its held-out split. </source>
            <translation>已保存的预测器 %1“%2”，已在其留出集上重新评估。</translation>
        </message>
        <message>
            <source>%1: no training report was stored with it. Held-out MAPE %2%.</source>
            <translation>%1：保存时未附带训练报告。留出集 MAPE %2%。</translation>
        </message>
    </context>
</TS>
