/* bfk-chain-error.c */
#include "bfk-chain-error.h"

G_DEFINE_QUARK (bfk-chain-error-quark, bfk_chain_error)
