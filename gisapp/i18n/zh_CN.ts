<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
  <context>
    <name>AttributePanel</name>
    <message>
        <location filename="../ui/attributes.py" line="63" />
        <source>Filter…</source>
        <translation>筛选…</translation>
    </message>
    <message>
        <location filename="../ui/attributes.py" line="73" />
        <source>Selected only</source>
        <translation>仅显示所选</translation>
    </message>
    <message>
        <location filename="../ui/attributes.py" line="75" />
        <source>Zoom to selection</source>
        <translation>缩放到所选</translation>
    </message>
    <message>
        <location filename="../ui/attributes.py" line="80" />
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../ui/attributes.py" line="127" />
        <source>All columns</source>
        <translation>所有列</translation>
    </message>
    <message>
        <location filename="../ui/attributes.py" line="148" />
        <source>{0:,} of {1:,}</source>
        <translation>{0:,} / {1:,} 条</translation>
    </message>
</context><context>
    <name>CampaignActions</name>
    <message>
        <location filename="../ui/campaign.py" line="186" />
        <source>Progress over time</source>
        <translation>时期与进度</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="265" />
        <location filename="../ui/campaign.py" line="264" />
        <source>Written: {0}</source>
        <translation>已写出：{0}</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="291" />
        <source>Export the township book</source>
        <translation>导出乡镇图册</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="301" />
        <source>Exporting the township book</source>
        <translation>正在导出乡镇图册</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="307" />
        <source>Export poster tiles</source>
        <translation>导出拼贴图</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="318" />
        <source>Exporting poster tiles</source>
        <translation>正在导出拼贴图</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="333" />
        <source>Export the change map</source>
        <translation>导出变化图</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="347" />
        <source>Exporting the change map</source>
        <translation>正在导出变化图</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="355" />
        <source>Export the animation</source>
        <translation>导出进展动画</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="365" />
        <source>Exporting the animation</source>
        <translation>正在导出进展动画</translation>
    </message>
</context><context>
    <name>ChangeDialog</name>
    <message>
        <location filename="../ui/campaign.py" line="84" />
        <source>Change map between two periods</source>
        <translation>两个时期之间的变化图</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="107" />
        <source>Villages and townships that left or came back, roads hardened
and bridges rebuilt between the two periods.</source>
        <translation>两个时期之间出列或返贫纳入的村和乡镇、
硬化的道路和改造的桥梁。</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="113" />
        <source>Before</source>
        <translation>前一时期</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="114" />
        <source>After</source>
        <translation>后一时期</translation>
    </message>
    <message>
        <location filename="../ui/campaign.py" line="128" />
        <source>'Before' must be earlier than 'after'.</source>
        <translation>“前一时期”必须早于“后一时期”。</translation>
    </message>
</context><context>
    <name>DetailsDialog</name>
    <message>
        <location filename="../ui/messages.py" line="75" />
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
</context><context>
    <name>FrameModel</name>
    <message>
        <location filename="../ui/table.py" line="130" />
        <location filename="../ui/table.py" line="106" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../ui/table.py" line="130" />
        <location filename="../ui/table.py" line="106" />
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../ui/table.py" line="185" />
        <source>{0} is not a whole number</source>
        <translation>“{0}”不是整数</translation>
    </message>
    <message>
        <location filename="../ui/table.py" line="191" />
        <source>{0} is not a number</source>
        <translation>“{0}”不是数字</translation>
    </message>
    <message>
        <location filename="../ui/table.py" line="195" />
        <source>{0} is neither yes nor no</source>
        <translation>“{0}”既不是“是”也不是“否”</translation>
    </message>
    <message>
        <location filename="../ui/table.py" line="202" />
        <source>{0} is not one of: {1}</source>
        <translation>“{0}”不在可选值中：{1}</translation>
    </message>
</context><context>
    <name>GapPanel</name>
    <message>
        <location filename="../ui/gaps.py" line="153" />
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <location filename="../ui/gaps.py" line="155" />
        <source>Gap</source>
        <translation>差距</translation>
    </message>
    <message>
        <location filename="../ui/gaps.py" line="190" />
        <location filename="../ui/gaps.py" line="157" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/gaps.py" line="160" />
        <source>Poor villages</source>
        <translation>贫困村</translation>
    </message>
    <message>
        <location filename="../ui/gaps.py" line="161" />
        <source>Townships</source>
        <translation>乡镇汇总</translation>
    </message>
    <message>
        <location filename="../ui/gaps.py" line="190" />
        <source>Gaps</source>
        <translation>差距</translation>
    </message>
    <message>
        <location filename="../ui/gaps.py" line="204" />
        <source>All townships</source>
        <translation>全部乡镇</translation>
    </message>
    <message>
        <location filename="../ui/gaps.py" line="208" />
        <source>Any gap</source>
        <translation>任一差距</translation>
    </message>
    <message>
        <location filename="../ui/gaps.py" line="211" />
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../ui/gaps.py" line="232" />
        <source>No gap report yet</source>
        <translation>尚未完成差距分析</translation>
    </message>
    <message>
        <location filename="../ui/gaps.py" line="235" />
        <source>{0} of {1} poor villages</source>
        <translation>显示 {0} / {1} 个贫困村</translation>
    </message>
</context><context>
    <name>ImportDialog</name>
    <message>
        <location filename="../ui/importer.py" line="52" />
        <source>Import layer</source>
        <translation>导入图层</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="55" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="60" />
        <source>detect</source>
        <translation>自动识别</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="62" />
        <source>detect (or e.g. EPSG:4547)</source>
        <translation>自动识别（或填写如 EPSG:4547）</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="63" />
        <source>Read again</source>
        <translation>重新读取</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="75" />
        <source>Column in the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="75" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="83" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="84" />
        <source>Layer in the file</source>
        <translation>文件中的图层</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="86" />
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="88" />
        <source>Coordinate system</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="92" />
        <source>Layer kind</source>
        <translation>图层类型</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="105" />
        <source>Add layer</source>
        <translation>添加图层</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="123" />
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="125" />
        <source>Layer files</source>
        <translation>图层文件</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="140" />
        <source>(whole file)</source>
        <translation>（整个文件）</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="150" />
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="164" />
        <source>Reading {0}</source>
        <translation>正在读取 {0}</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="181" />
        <source>{0}: {1:,} features, {2}</source>
        <translation>{0}：{1:,} 个要素，{2}</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="184" />
        <source>no places</source>
        <translation>无空间位置</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="186" />
        <source>Encoding: {0} ({1})</source>
        <translation>编码：{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="189" />
        <source>Coordinates: {0} ({1})</source>
        <translation>坐标系：{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="192" />
        <source>Layer kind: {0}</source>
        <translation>图层类型依据：{0}</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="197" />
        <source>The text also reads as {0}; choose it above if names look wrong.</source>
        <translation>文字也可按 {0} 解读；如果名称显示为乱码，请在上方改选编码。</translation>
    </message>
    <message>
        <location filename="../ui/importer.py" line="230" />
        <source>(keep as is)</source>
        <translation>（保持原列名）</translation>
    </message>
</context><context>
    <name>InfoPanel</name>
    <message>
        <location filename="../ui/info.py" line="62" />
        <location filename="../ui/info.py" line="45" />
        <source>Click a feature with the identify tool</source>
        <translation>用“识别”工具点击地图上的要素</translation>
    </message>
    <message>
        <location filename="../ui/info.py" line="87" />
        <location filename="../ui/info.py" line="49" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../ui/info.py" line="111" />
        <location filename="../ui/info.py" line="87" />
        <location filename="../ui/info.py" line="49" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../ui/info.py" line="107" />
        <source>Village card: {0} ({1})</source>
        <translation>村情卡：{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../ui/info.py" line="109" />
        <source>Part</source>
        <translation>部分</translation>
    </message>
    <message>
        <location filename="../ui/info.py" line="110" />
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../ui/info.py" line="112" />
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location filename="../ui/info.py" line="113" />
        <source>Met</source>
        <translation>达标</translation>
    </message>
    <message>
        <location filename="../ui/info.py" line="114" />
        <source>Clause</source>
        <translation>依据条款</translation>
    </message>
</context><context>
    <name>JobBar</name>
    <message>
        <location filename="../ui/progress.py" line="18" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/progress.py" line="37" />
        <source>Cancelling {0}…</source>
        <translation>正在取消：{0}…</translation>
    </message>
</context><context>
    <name>LayerModel</name>
    <message>
        <location filename="../ui/layers.py" line="179" />
        <source>features</source>
        <translation>个要素</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="180" />
        <source>Source: {0}</source>
        <translation>来源：{0}</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="181" />
        <source>Coordinates: {0} ({1})</source>
        <translation>坐标系：{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="185" />
        <source>Encoding: {0} ({1})</source>
        <translation>编码：{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="188" />
        <source>Sample data made by the program</source>
        <translation>程序生成的示例数据</translation>
    </message>
</context><context>
    <name>LayerPanel</name>
    <message>
        <location filename="../ui/layers.py" line="288" />
        <source>Opacity of the chosen layer</source>
        <translation>所选图层的不透明度</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="291" />
        <source>Zoom to</source>
        <translation>缩放到</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="293" />
        <source>Table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="358" />
        <location filename="../ui/layers.py" line="295" />
        <source>Style…</source>
        <translation>样式…</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="302" />
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="353" />
        <source>Zoom to layer</source>
        <translation>缩放到图层</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="356" />
        <source>Open attribute table</source>
        <translation>打开属性表</translation>
    </message>
    <message>
        <location filename="../ui/layers.py" line="360" />
        <source>Remove layer</source>
        <translation>移除图层</translation>
    </message>
</context><context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.py" line="81" />
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="82" />
        <source>Gaps</source>
        <translation>差距</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="84" />
        <source>Village card / identify</source>
        <translation>村情卡 / 识别结果</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="87" />
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="89" />
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="92" />
        <source>Progress over time</source>
        <translation>时期与进度</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="171" />
        <source>Lon {0:.5f}°  Lat {1:.5f}°   X {2:,.0f}  Y {3:,.0f} m</source>
        <translation>经度 {0:.5f}°  纬度 {1:.5f}°   X {2:,.0f}  Y {3:,.0f} 米</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="179" />
        <source>Scale 1:{0:,.0f}</source>
        <translation>比例尺 1:{0:,.0f}</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="183" />
        <source>Drawn in {0:.0f} ms</source>
        <translation>绘制 {0:.0f} 毫秒</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="201" />
        <source>unsaved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="205" />
        <source>Jingmen poverty-alleviation battle map</source>
        <translation>荆门市精准脱贫挂图作战</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="214" />
        <source>This project holds sample data made by the program (示例数据).</source>
        <translation>本项目含程序生成的示例数据（示例数据），不是实测数据。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="247" />
        <source>Open project or layers</source>
        <translation>打开项目或图层</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="249" />
        <source>Projects and layers</source>
        <translation>项目和图层</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="265" />
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="267" />
        <source>Project (*.gpkg)</source>
        <translation>项目 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="284" />
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="293" />
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="294" />
        <source>The project has unsaved changes. Discard them?</source>
        <translation>项目有未保存的修改。要放弃这些修改吗？</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="306" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="319" />
        <source>{0}: {1} rows joined to {2} by code; {3} codes match no feature</source>
        <translation>{0}：{1} 行按代码并入“{2}”；{3} 个代码没有对应的要素</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="330" />
        <source>Work from a session that ended unexpectedly was found: {0}</source>
        <translation>发现上次意外退出时自动保存的工作：{0}</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="336" />
        <source>Recover work</source>
        <translation>恢复工作</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="337" />
        <source>The program did not close normally last time. Open the autosaved work?</source>
        <translation>程序上次没有正常关闭。要打开自动保存的工作吗？</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="407" />
        <source>Checking gaps</source>
        <translation>正在分析差距</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="409" />
        <source>Checking gaps of {0}</source>
        <translation>正在核查 {0} 年差距</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="464" />
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="477" />
        <source>Exporting the wall map</source>
        <translation>正在导出作战挂图</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="478" />
        <source>Exporting the web map</source>
        <translation>正在导出网页地图</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="479" />
        <source>Exporting the gap lists</source>
        <translation>正在导出差距清单</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="487" />
        <location filename="../ui/mainwindow.py" line="486" />
        <source>Written: {0}</source>
        <translation>已写出：{0}</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="498" />
        <source>Settings saved; the language changes at the next start.</source>
        <translation>设置已保存；界面语言在下次启动时生效。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="507" />
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.py" line="508" />
        <source>Jingmen poverty-alleviation battle map
Desktop GIS for the city planning office.
Gap status: {0}</source>
        <translation>荆门市精准脱贫挂图作战
市扶贫规划办公室桌面地理信息系统。
差距状态：{0}</translation>
    </message>
</context><context>
    <name>MapCanvas</name>
    <message>
        <location filename="../ui/canvas.py" line="364" />
        <source>Sample data (示例数据): generated, not surveyed</source>
        <translation>示例数据：程序生成，非实测</translation>
    </message>
    <message>
        <location filename="../ui/canvas.py" line="378" />
        <source>Area {0}, perimeter {1}</source>
        <translation>面积 {0}，周长 {1}</translation>
    </message>
    <message>
        <location filename="../ui/canvas.py" line="381" />
        <source>Distance {0}</source>
        <translation>距离 {0}</translation>
    </message>
</context><context>
    <name>MessagePanel</name>
    <message>
        <location filename="../ui/messages.py" line="101" />
        <source>Details…</source>
        <translation>详细信息…</translation>
    </message>
    <message>
        <location filename="../ui/messages.py" line="103" />
        <source>Clear</source>
        <translation>清空</translation>
    </message>
</context><context>
    <name>Messages</name>
    <message>
        <location filename="../ui/messages.py" line="35" />
        <source>The file {0} is open in another program or may not be written. Close it there (for example in Excel) or save under another name.</source>
        <translation>文件 {0} 正被其他程序占用或没有写入权限。请在那个程序（例如 Excel）中关闭它，或换一个文件名保存。</translation>
    </message>
    <message>
        <location filename="../ui/messages.py" line="41" />
        <source>The file {0} was not found. Check the path or copy it here.</source>
        <translation>找不到文件 {0}。请检查路径，或先把文件复制到本机。</translation>
    </message>
    <message>
        <location filename="../ui/messages.py" line="45" />
        <source>The disk is full. Free some space and try again.</source>
        <translation>磁盘已满。请清理出空间后重试。</translation>
    </message>
    <message>
        <location filename="../ui/messages.py" line="49" />
        <source>The computer ran out of memory. Close other programs and retry.</source>
        <translation>电脑内存不足。请关闭其他程序后重试。</translation>
    </message>
    <message>
        <location filename="../ui/messages.py" line="53" />
        <source>{0} did not finish because of an unexpected problem ({1}). Your files were not changed. Send the details to the maintainer.</source>
        <translation>“{0}”因意外问题（{1}）未能完成。您的文件没有被改动。请把详细信息发给维护人员。</translation>
    </message>
    <message>
        <location filename="../ui/messages.py" line="58" />
        <source>The task</source>
        <translation>该任务</translation>
    </message>
</context><context>
    <name>NewPeriodDialog</name>
    <message>
        <location filename="../ui/period_edits.py" line="55" />
        <source>Period (year or quarter, e.g. 2019 or 2019Q2)</source>
        <translation>时期（年份或季度，如 2019 或 2019Q2）</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="63" />
        <source>Starting from period</source>
        <translation>基于时期</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="76" />
        <source>{0} ({1} rows) is a list of</source>
        <translation>{0}（{1} 行）的类型</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="83" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="112" />
        <source>Write the period as a year (2019) or a quarter (2019Q2).</source>
        <translation>时期请写作年份（2019）或季度（2019Q2）。</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="118" />
        <source>Period {0} exists already; earlier periods are kept unchanged. Choose another name.</source>
        <translation>时期 {0} 已存在；已有时期保持不变，请另取名称。</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="123" />
        <source>A new period comes after the one it starts from ({0}); a year stands for its end. Write a later year or quarter.</source>
        <translation>新时期须晚于所基于的时期（{0}）；年份代表该年年末。请填写更晚的年份或季度。</translation>
    </message>
</context><context>
    <name>PeriodBar</name>
    <message>
        <location filename="../ui/timeline.py" line="124" />
        <source>Period</source>
        <translation>时期</translation>
    </message>
    <message>
        <location filename="../ui/timeline.py" line="156" />
        <source>{0}: checking…</source>
        <translation>{0}：核查中…</translation>
    </message>
    <message>
        <location filename="../ui/timeline.py" line="158" />
        <source>Map shows {0}</source>
        <translation>地图：{0}</translation>
    </message>
    <message>
        <location filename="../ui/timeline.py" line="164" />
        <source>year {0}</source>
        <translation>{0}年</translation>
    </message>
    <message>
        <location filename="../ui/timeline.py" line="165" />
        <source>{0} Q{1}</source>
        <translation>{0}年第{1}季度</translation>
    </message>
</context><context>
    <name>PeriodEditing</name>
    <message>
        <location filename="../ui/period_edits.py" line="185" />
        <source>Period {0} recorded.</source>
        <translation>已记录时期 {0}。</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="199" />
        <source>edited in the map</source>
        <translation>在地图中编辑</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="292" />
        <location filename="../ui/period_edits.py" line="202" />
        <source>New period</source>
        <translation>新时期</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="214" />
        <source>the map</source>
        <translation>当前地图</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="215" />
        <source>The new period holds the map as it is now: {0} with {1} edits. Earlier periods stay as they are.</source>
        <translation>新时期保存地图当前的状态：{0} 加上 {1} 处编辑。已有时期保持不变。</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="221" />
        <source>Note: the map shows {0}, not the latest period {1}. The new period starts from {0}: what changed after it, up to {1}, is not in it.</source>
        <translation>注意：地图显示的是 {0}，不是最新时期 {1}。新时期以 {0} 为基础，{0} 之后到 {1} 的进展不会带入。</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="227" />
        <source>Record a new period</source>
        <translation>记录新时期</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="243" />
        <source>Updated lists for a new period</source>
        <translation>新时期的更新台账</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="255" />
        <source>Reading {0}</source>
        <translation>正在读取 {0}</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="264" />
        <source>New period from updated lists</source>
        <translation>由更新台账生成新时期</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="265" />
        <source>Each list is joined by code onto the period it starts from; the filled cells change, the rest is carried over.</source>
        <translation>每份台账按代码连接到所基于的时期：填写了的单元格更新，其余沿用原值。</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="314" />
        <source>Edits not in a period</source>
        <translation>编辑尚未记入时期</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="316" />
        <source>The map has edits that no period holds yet. Another period replaces the attributes on the map with that period's lists.</source>
        <translation>地图上有尚未记入任何时期的编辑。切换到其他时期会用该时期的台账替换地图上的属性。</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="322" />
        <source>Record as a new period…</source>
        <translation>记为新时期…</translation>
    </message>
    <message>
        <location filename="../ui/period_edits.py" line="325" />
        <source>Drop the edits</source>
        <translation>放弃编辑</translation>
    </message>
</context><context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../ui/preferences.py" line="29" />
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <location filename="../ui/preferences.py" line="42" />
        <source>rules of the project (default)</source>
        <translation>项目自带的规则（默认）</translation>
    </message>
    <message>
        <location filename="../ui/preferences.py" line="43" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/preferences.py" line="51" />
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../ui/preferences.py" line="53" />
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location filename="../ui/preferences.py" line="54" />
        <source>Font</source>
        <translation>字体</translation>
    </message>
    <message>
        <location filename="../ui/preferences.py" line="55" />
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <location filename="../ui/preferences.py" line="56" />
        <source>Wall map page</source>
        <translation>挂图纸张</translation>
    </message>
    <message>
        <location filename="../ui/preferences.py" line="68" />
        <location filename="../ui/preferences.py" line="57" />
        <source>Rules file</source>
        <translation>规则文件</translation>
    </message>
    <message>
        <location filename="../ui/preferences.py" line="58" />
        <source>Autosave every</source>
        <translation>自动保存间隔</translation>
    </message>
    <message>
        <location filename="../ui/preferences.py" line="68" />
        <source>Rules (*.toml)</source>
        <translation>规则 (*.toml)</translation>
    </message>
</context><context>
    <name>ProgressChart</name>
    <message>
        <location filename="../ui/timeline.py" line="280" />
        <source>Working out the progress…</source>
        <translation>正在统计进度…</translation>
    </message>
    <message>
        <location filename="../ui/timeline.py" line="282" />
        <source>No periods in this project</source>
        <translation>本项目没有分时期数据</translation>
    </message>
    <message>
        <location filename="../ui/timeline.py" line="288" />
        <source>Poor villages out (cumulative)</source>
        <translation>贫困村出列(累计)</translation>
    </message>
    <message>
        <location filename="../ui/timeline.py" line="289" />
        <source>Poor townships out (cumulative)</source>
        <translation>贫困乡镇摘帽(累计)</translation>
    </message>
    <message>
        <location filename="../ui/timeline.py" line="391" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../ui/timeline.py" line="398" />
        <source>Plan of the rules</source>
        <translation>规则计划</translation>
    </message>
    <message>
        <location filename="../ui/timeline.py" line="403" />
        <source>red figure: behind plan</source>
        <translation>红字：落后于计划</translation>
    </message>
</context><context>
    <name>ProjectManager</name>
    <message>
        <location filename="../ui/projects.py" line="104" />
        <source>{0} is on a network drive; a local working copy was opened ({1}). Save the project to your computer and copy it back to the share.</source>
        <translation>{0} 位于网络盘上，已打开它在本机的工作副本（{1}）。请把项目保存到本机，再复制回共享盘。</translation>
    </message>
    <message>
        <location filename="../ui/projects.py" line="119" />
        <source>Opening {0}</source>
        <translation>正在打开 {0}</translation>
    </message>
    <message>
        <location filename="../ui/projects.py" line="144" />
        <source>Adding {0}</source>
        <translation>正在添加 {0}</translation>
    </message>
    <message>
        <location filename="../ui/projects.py" line="177" />
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <location filename="../ui/projects.py" line="181" />
        <source>Saving {0}</source>
        <translation>正在保存 {0}</translation>
    </message>
    <message>
        <location filename="../ui/projects.py" line="249" />
        <source>Autosave</source>
        <translation>自动保存</translation>
    </message>
</context><context>
    <name>StyleDialog</name>
    <message>
        <location filename="../ui/styles.py" line="103" />
        <source>Style of {0}</source>
        <translation>{0} 的样式</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="107" />
        <source>Single symbol</source>
        <translation>单一符号</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="108" />
        <source>Categories of a field</source>
        <translation>按字段分类</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="109" />
        <source>Graduated classes of a number</source>
        <translation>按数值分级</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="110" />
        <source>Gap status</source>
        <translation>差距状态</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="119" />
        <source>Equal intervals</source>
        <translation>等间距</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="120" />
        <source>Equal counts (quantiles)</source>
        <translation>等数量（分位数）</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="135" />
        <source>Symbol</source>
        <translation>符号</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="135" />
        <source>Label</source>
        <translation>图例文字</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="138" />
        <source>Classify</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="141" />
        <source>Kind of style</source>
        <translation>样式类型</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="142" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="143" />
        <source>Classes</source>
        <translation>级数</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="144" />
        <source>Method</source>
        <translation>分级方法</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="145" />
        <source>Size or line width</source>
        <translation>符号大小或线宽</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="239" />
        <source>All features</source>
        <translation>全部要素</translation>
    </message>
    <message>
        <location filename="../ui/styles.py" line="257" />
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
</context><context>
    <name>WindowActions</name>
    <message>
        <location filename="../ui/menus.py" line="33" />
        <source>&amp;New project</source>
        <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="36" />
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="40" />
        <source>Open a project (.gpkg, project.toml) or layer files</source>
        <translation>打开项目（.gpkg、project.toml）或图层文件</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="43" />
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="45" />
        <source>Save &amp;as…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="47" />
        <source>&amp;Import layer…</source>
        <translation>导入图层(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="52" />
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="53" />
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="55" />
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="58" />
        <source>Clear selection</source>
        <translation>清除选择</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="61" />
        <source>Full extent</source>
        <translation>全图</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="64" />
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="67" />
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="70" />
        <source>Zoom to layer</source>
        <translation>缩放到图层</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="73" />
        <source>Zoom to selection</source>
        <translation>缩放到所选</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="78" />
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="79" />
        <source>Identify</source>
        <translation>识别</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="80" />
        <source>Select</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="81" />
        <source>Measure distance</source>
        <translation>测距离</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="82" />
        <source>Measure area</source>
        <translation>测面积</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="95" />
        <source>Check gaps again</source>
        <translation>重新分析差距</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="98" />
        <source>Wall map (PDF)…</source>
        <translation>作战挂图 (PDF)…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="101" />
        <source>Web map (HTML)…</source>
        <translation>网页地图 (HTML)…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="104" />
        <source>Gap lists (Excel)…</source>
        <translation>差距清单 (Excel)…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="107" />
        <source>Township book (PDF)…</source>
        <translation>乡镇图册(PDF)…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="109" />
        <source>One page per township, of the period on the map</source>
        <translation>每个乡镇一页，按地图当前时期</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="112" />
        <source>Poster tiles (PDF)…</source>
        <translation>拼贴图(PDF)…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="114" />
        <source>The wall map on A4 sheets to glue together</source>
        <translation>把作战挂图分印在A4纸上拼贴</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="117" />
        <source>Change map between periods…</source>
        <translation>时期变化图…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="119" />
        <source>What changed between two periods, as a map and a table</source>
        <translation>两个时期之间的变化，出图并出表</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="122" />
        <source>Animation of the periods (GIF)…</source>
        <translation>各时期进展动画(GIF)…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="126" />
        <source>Record the map as a new period…</source>
        <translation>将地图记为新时期…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="128" />
        <source>The attributes as edited become the next year or quarter</source>
        <translation>把编辑后的属性记为下一年或下一季度</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="131" />
        <source>New period from updated lists…</source>
        <translation>由更新台账生成新时期…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="133" />
        <source>Excel or CSV lists (台账) joined by code make the next period</source>
        <translation>按代码连接 Excel 或 CSV 台账，生成下一时期</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="140" />
        <source>Preferences…</source>
        <translation>首选项…</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="141" />
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="145" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="147" />
        <source>Recent projects</source>
        <translation>最近的项目</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="154" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="158" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="178" />
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="180" />
        <source>&amp;Analysis</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="184" />
        <source>E&amp;xport</source>
        <translation>导出(&amp;X)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="190" />
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="192" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="196" />
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="204" />
        <source>Map tools</source>
        <translation>地图工具</translation>
    </message>
    <message>
        <location filename="../ui/menus.py" line="213" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context></TS>
