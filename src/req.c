/* eddy — what every request has: names, sizes and the accessors.
 * (uv_cancel belongs to the thread pool, which owns cancellable work.) */
#include "internal.h"

UV__EXPORT size_t uv_req_size(uv_req_type type) {
  switch (type) {
#define UV__REQ_SIZE(uc, lc) \
  case UV_##uc:              \
    return sizeof(uv_##lc##_t);
    UV_REQ_TYPE_MAP(UV__REQ_SIZE)
#undef UV__REQ_SIZE
    default:
      return (size_t)-1;
  }
}

UV__EXPORT const char* uv_req_type_name(uv_req_type type) {
  switch (type) {
#define UV__REQ_NAME(uc, lc) \
  case UV_##uc:              \
    return #lc;
    UV_REQ_TYPE_MAP(UV__REQ_NAME)
#undef UV__REQ_NAME
    default:
      return NULL;
  }
}

UV__EXPORT void* uv_req_get_data(const uv_req_t* req) {
  return req != NULL ? req->data : NULL;
}

UV__EXPORT void uv_req_set_data(uv_req_t* req, void* data) {
  if (req != NULL) req->data = data;
}

UV__EXPORT uv_req_type uv_req_get_type(const uv_req_t* req) {
  return req != NULL ? req->type : UV_UNKNOWN_REQ;
}
