/* The installation prefix of the proton-c installation this stands in for. */
#define PN_INSTALL_PREFIX "/usr"
