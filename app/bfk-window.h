/* bfk-window.h: the console's main window. */
#pragma once

#include <adwaita.h>

#include "bfk-page.h"
#include "bfk-session.h"

G_BEGIN_DECLS

#define BFK_TYPE_WINDOW (bfk_window_get_type ())

G_DECLARE_FINAL_TYPE (BfkWindow, bfk_window, BFK, WINDOW, AdwApplicationWindow)

/* session may be NULL: the window then only shows a failure. */
BfkWindow  *bfk_window_new           (GtkApplication *application,
                                      BfkSession     *session);
/* While the backend starts: a spinner and what it does. */
void        bfk_window_show_starting (BfkWindow      *self);
/* The start failed: the message, and buttons to retry or change settings. */
void        bfk_window_show_failure  (BfkWindow      *self,
                                      const gchar    *message);
/* The backend runs: the pages. */
void        bfk_window_show_pages    (BfkWindow      *self);
/* Shows the page of that name (bfk-pages.h); FALSE when there is none. */
gboolean    bfk_window_show_page     (BfkWindow      *self,
                                      const gchar    *name);
BfkPage    *bfk_window_get_page      (BfkWindow      *self,
                                      const gchar    *name);
void        bfk_window_add_toast     (BfkWindow      *self,
                                      const gchar    *text);

G_END_DECLS
