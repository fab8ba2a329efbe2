/* bfk-test-ui.h: the console's pages against a real backend, under Xvfb.
 *
 * Each UI test starts a backend on the local network (it starts its own
 * anvil and deploys the contract) in a throw-away data folder, builds the
 * page or window under test over a BfkSession, drives it, and saves a PNG
 * of what it shows in <build>/screenshots/<lang>/ (lang is "fr" when the
 * test runs with a French locale, otherwise "en").
 */
#pragma once

#include <adwaita.h>

#include "bfk-application.h"
#include "bfk-page.h"
#include "bfk-session.h"

G_BEGIN_DECLS

typedef struct
{
  gchar      *data_dir;
  BfkBackend *backend;
  BfkSession *session;
  GtkWindow  *window;    /* set by bfk_test_ui_show */
} BfkTestUi;

/* g_test_init, translations and resources, and libadwaita.  Without a
 * display, prints the TAP skip line and exits 0. */
void         bfk_test_ui_init           (int          *argc,
                                         char       ***argv);

/* A running backend and its session; settings holds NAME, VALUE pairs
 * (NULL-terminated; NULL: none) on top of the local network's. */
BfkTestUi   *bfk_test_ui_new            (const gchar *const *settings);
void         bfk_test_ui_free           (BfkTestUi    *ui);

/* Iterates the main context until check (data) is TRUE; fails the test
 * with what after timeout_s seconds. */
void         bfk_test_ui_wait           (gboolean    (*check) (gpointer data),
                                         gpointer      data,
                                         guint         timeout_s,
                                         const gchar  *what);
/* Iterates the main context for about ms milliseconds. */
void         bfk_test_ui_spin           (guint         ms);
/* For _async calls: pass bfk_test_ui_store_result and &result, then
 * bfk_test_ui_wait_result (&result) gives the GAsyncResult (unref it). */
void         bfk_test_ui_store_result   (GObject      *source,
                                         GAsyncResult *result,
                                         gpointer      user_data);
GAsyncResult *bfk_test_ui_wait_result   (GAsyncResult **slot);

/* A member added through the backend, registered on chain and seen by the
 * follower (its balance is in the store) before this returns. */
gint64       bfk_test_ui_add_member     (BfkTestUi    *ui,
                                         const gchar  *phone,
                                         const gchar  *name,
                                         guint64       community_id);
/* Waits until every operation in the outbox is confirmed or failed, and the
 * follower has caught up with the chain. */
void         bfk_test_ui_settle         (BfkTestUi    *ui);
/* POSTs a WhatsApp message from phone to the backend's /webhook (loopback,
 * no signature needed without Twilio) and returns the TwiML answer. */
gchar       *bfk_test_ui_post_webhook   (BfkTestUi    *ui,
                                         const gchar  *phone,
                                         const gchar  *body);

/* Shows widget (a page) alone in a window of width × height, and waits for
 * it to be drawn. */
GtkWindow   *bfk_test_ui_show           (BfkTestUi    *ui,
                                         GtkWidget    *widget,
                                         gint          width,
                                         gint          height);
/* Renders the window to <build>/screenshots/<lang>/<name>.png; returns the
 * path (g_free it).  Fails the test when nothing could be rendered. */
gchar       *bfk_test_ui_screenshot     (GtkWindow    *window,
                                         const gchar  *name);
/* "fr" or "en", from the locale of messages. */
const gchar *bfk_test_ui_language       (void);

/* The first descendant of root (itself included) of type type whose
 * buildable id, widget name, label or title contains text (NULL: any). */
GtkWidget   *bfk_test_ui_find           (GtkWidget    *root,
                                         GType         type,
                                         const gchar  *text);

G_END_DECLS
