/* The system's socket address type (<sys/socket.h>), used by pointer only. */
struct sockaddr;
