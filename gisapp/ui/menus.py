"""The menus, toolbars and actions of the main window."""

from __future__ import annotations

from PyQt6.QtCore import QSize, Qt
from PyQt6.QtGui import QAction, QActionGroup, QKeySequence
from PyQt6.QtWidgets import QStyle, QToolBar


class WindowActions:
    """Builds the actions of :class:`gisapp.ui.mainwindow.MainWindow` and lays them out."""

    def _action(
        self, text, slot=None, shortcut=None, icon=None, checkable=False, tip=""
    ):
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setCheckable(checkable)
        if slot is not None:
            action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        key = QKeySequence.StandardKey
        self.act_new = self._action(
            self.tr("&New project"), self.new_project, key.New, sp.SP_FileIcon
        )
        self.act_open = self._action(
            self.tr("&Open…"),
            self.open_dialog,
            key.Open,
            sp.SP_DialogOpenButton,
            tip=self.tr("Open a project (.gpkg, project.toml) or layer files"),
        )
        self.act_save = self._action(
            self.tr("&Save"), self.save, key.Save, sp.SP_DialogSaveButton
        )
        self.act_save_as = self._action(self.tr("Save &as…"), self.save_as, key.SaveAs)
        self.act_import = self._action(
            self.tr("&Import layer…"),
            lambda: self.import_dialog(),
            "Ctrl+I",
            sp.SP_FileDialogNewFolder,
        )
        self.act_quit = self._action(self.tr("E&xit"), self.close, key.Quit)
        self.act_undo = self.doc.undo.createUndoAction(self, self.tr("&Undo"))
        self.act_undo.setShortcut(QKeySequence(key.Undo))
        self.act_redo = self.doc.undo.createRedoAction(self, self.tr("&Redo"))
        self.act_redo.setShortcut(QKeySequence(key.Redo))
        self.act_clear_sel = self._action(
            self.tr("Clear selection"), self.doc.clear_selection, "Ctrl+Shift+A"
        )
        self.act_full = self._action(
            self.tr("Full extent"), self.canvas.zoom_full, "Ctrl+0", sp.SP_DesktopIcon
        )
        self.act_zoom_in = self._action(
            self.tr("Zoom in"), lambda: self.canvas.zoom(1.5), key.ZoomIn
        )
        self.act_zoom_out = self._action(
            self.tr("Zoom out"), lambda: self.canvas.zoom(1 / 1.5), key.ZoomOut
        )
        self.act_zoom_layer = self._action(
            self.tr("Zoom to layer"), self._zoom_current_layer
        )
        self.act_zoom_sel = self._action(
            self.tr("Zoom to selection"), self.canvas.zoom_to_selection, "Ctrl+J"
        )
        self.tool_group = QActionGroup(self)
        self.tool_actions = {}
        tools = [
            ("pan", self.tr("Pan"), "P"),
            ("identify", self.tr("Identify"), "I"),
            ("select", self.tr("Select"), "S"),
            ("measure_line", self.tr("Measure distance"), "M"),
            ("measure_area", self.tr("Measure area"), "A"),
        ]
        for name, text, shortcut in tools:
            act = self._action(
                text,
                lambda _=False, n=name: self.canvas.set_tool(n),
                shortcut,
                checkable=True,
            )
            self.tool_group.addAction(act)
            self.tool_actions[name] = act
        self.tool_actions["pan"].setChecked(True)
        self.act_analyse = self._action(
            self.tr("Check gaps again"), self.run_analysis, "F5", sp.SP_BrowserReload
        )
        self.act_wallmap = self._action(
            self.tr("Wall map (PDF)…"), lambda: self.export("wallmap"), "Ctrl+P"
        )
        self.act_webmap = self._action(
            self.tr("Web map (HTML)…"), lambda: self.export("webmap")
        )
        self.act_tables = self._action(
            self.tr("Gap lists (Excel)…"), lambda: self.export("tables")
        )
        self.act_book = self._action(
            self.tr("Township book (PDF)…"),
            lambda: self.export_book(),
            tip=self.tr("One page per township, of the period on the map"),
        )
        self.act_poster = self._action(
            self.tr("Poster tiles (PDF)…"),
            lambda: self.export_poster(),
            tip=self.tr("The wall map on A4 sheets to glue together"),
        )
        self.act_change = self._action(
            self.tr("Change map between periods…"),
            self.change_dialog,
            tip=self.tr("What changed between two periods, as a map and a table"),
        )
        self.act_animation = self._action(
            self.tr("Animation of the periods (GIF)…"),
            lambda: self.export_animation(),
        )
        self.act_record_period = self._action(
            self.tr("Record the map as a new period…"),
            lambda: self.record_period(),
            tip=self.tr("The attributes as edited become the next year or quarter"),
        )
        self.act_import_period = self._action(
            self.tr("New period from updated lists…"),
            lambda: self.import_period_lists(),
            tip=self.tr(
                "Excel or CSV lists (台账) joined by code make the next period"
            ),
        )
        self.period_actions = [self.act_change, self.act_animation]
        for action in self.period_actions:
            action.setEnabled(False)
        self.act_settings = self._action(self.tr("Preferences…"), self.settings_dialog)
        self.act_about = self._action(self.tr("About"), self.about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu(self.tr("Recent projects"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addActions([self.act_save, self.act_save_as])
        file_menu.addSeparator()
        file_menu.addAction(self.act_import)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu(self.tr("&Edit"))
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addAction(self.act_clear_sel)
        view = bar.addMenu(self.tr("&View"))
        view.addActions(
            [
                self.act_full,
                self.act_zoom_in,
                self.act_zoom_out,
                self.act_zoom_layer,
                self.act_zoom_sel,
            ]
        )
        view.addSeparator()
        for dock in (
            self.layer_dock,
            self.campaign_dock,
            self.gap_dock,
            self.info_dock,
            self.table_dock,
            self.message_dock,
        ):
            view.addAction(dock.toggleViewAction())
        tools = bar.addMenu(self.tr("&Tools"))
        tools.addActions(list(self.tool_actions.values()))
        analysis = bar.addMenu(self.tr("&Analysis"))
        analysis.addAction(self.act_analyse)
        analysis.addSeparator()
        analysis.addActions([self.act_record_period, self.act_import_period])
        export = bar.addMenu(self.tr("E&xport"))
        export.addActions([self.act_wallmap, self.act_webmap, self.act_tables])
        export.addSeparator()
        export.addActions([self.act_book, self.act_poster])
        export.addSeparator()
        export.addActions(self.period_actions)
        settings = bar.addMenu(self.tr("&Settings"))
        settings.addAction(self.act_settings)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.act_about)

    def _build_toolbars(self) -> None:
        main = QToolBar(self.tr("Project"), self)
        main.setObjectName("project_toolbar")
        main.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        main.setIconSize(QSize(18, 18))
        main.addActions([self.act_open, self.act_save, self.act_import])
        main.addSeparator()
        main.addActions([self.act_undo, self.act_redo])
        self.addToolBar(main)
        tools = QToolBar(self.tr("Map tools"), self)
        tools.setObjectName("map_toolbar")
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tools.addAction(self.act_full)
        tools.addAction(self.act_zoom_in)
        tools.addAction(self.act_zoom_out)
        tools.addSeparator()
        tools.addActions(list(self.tool_actions.values()))
        self.addToolBar(tools)
        out = QToolBar(self.tr("Export"), self)
        out.setObjectName("export_toolbar")
        out.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        out.addActions(
            [self.act_analyse, self.act_wallmap, self.act_webmap, self.act_tables]
        )
        self.addToolBar(out)
