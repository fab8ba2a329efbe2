/* bfk-headless.h: the backend alone, for servers and machines without a display. */
#pragma once

#include "bfk-config.h"

G_BEGIN_DECLS

/* One line per message, with the time, on stderr. */
void  bfk_headless_install_log (void);
/* Runs the backend until SIGTERM or SIGINT; takes config.  The exit status. */
int   bfk_headless_run         (BfkConfig *config);

G_END_DECLS
