/* bfk-status-area.h: network, block height, sync progress and gas, for the header. */
#pragma once

#include <gtk/gtk.h>

#include "bfk-session.h"

G_BEGIN_DECLS

#define BFK_TYPE_STATUS_AREA (bfk_status_area_get_type ())

G_DECLARE_FINAL_TYPE (BfkStatusArea, bfk_status_area, BFK, STATUS_AREA, GtkWidget)

void  bfk_status_area_set_session (BfkStatusArea *self,
                                   BfkSession    *session);
/* On a narrow window: only the block and the gas, the rest in a tooltip. */
void  bfk_status_area_set_compact (BfkStatusArea *self,
                                   gboolean       compact);

G_END_DECLS
