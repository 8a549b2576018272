// Live readiness over HTTP: event streams (server-sent events) of the readiness of chosen regions, sent when a
// stream opens and again, every events_ms, for the regions that changed since (FlushEvents).
#include <algorithm>
#include <mutex>

#include "server/api.h"
#include "server/api_internal.h"

namespace tepat::server {

using internal::ReadinessJson;

struct Api::Subscriber {
  std::string election;
  std::vector<std::string> regions;  // "" for the nation
  std::shared_ptr<EventStream> stream;
};

size_t Api::subscribers() const {
  std::lock_guard lock(subscribers_mutex_);
  return subscribers_.size();
}

// The readiness of up to 100 regions of one election (`region`: codes separated by commas; none or "" for the
// nation), sent at once and then as it changes.
Response Api::Events(Request& req) {
  LoadedElection* e = FindElection(req.Query("election"));
  if (!e) return Response::Error(404, "not_found", "election: there is no loaded election " + req.Query("election"));
  auto subscriber = std::make_shared<Subscriber>();
  subscriber->election = e->data->definition.id;
  std::string list = req.Query("region");
  size_t start = 0;
  do {
    const size_t end = std::min(list.find(',', start), list.size());
    const std::string code = list.substr(start, end - start);
    if (!code.empty() && e->data->regions.Find(code) < 0) {
      return Response::Error(404, "not_found", "region: there is no region " + code);
    }
    if (std::find(subscriber->regions.begin(), subscriber->regions.end(), code) == subscriber->regions.end()) {
      subscriber->regions.push_back(code);
    }
    start = end + 1;
  } while (start <= list.size());
  if (subscriber->regions.size() > 100) return Response::Error(400, "bad_request", "region: at most 100 regions");
  Response r;
  r.stream = [this, subscriber, e](std::shared_ptr<EventStream> stream) {
    subscriber->stream = stream;
    for (const std::string& code : subscriber->regions) {
      stream->Send("readiness", ReadinessJson(*e, code.empty() ? -1 : e->data->regions.Find(code)));
    }
    std::lock_guard lock(subscribers_mutex_);
    subscribers_.push_back(subscriber);
  };
  return r;
}

void Api::FlushEvents() {
  std::vector<std::shared_ptr<Subscriber>> subscribers;
  {
    std::lock_guard lock(subscribers_mutex_);
    subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                      [](const auto& s) { return s->stream && s->stream->closed(); }),
                       subscribers_.end());
    subscribers = subscribers_;
  }
  if (dirty_.empty()) return;
  for (const auto& s : subscribers) {
    if (!s->stream) continue;
    auto dirty = dirty_.find(s->election);
    if (dirty == dirty_.end()) continue;
    LoadedElection* e = FindElection(s->election);
    for (const std::string& code : s->regions) {
      if (!dirty->second.count(code)) continue;
      s->stream->Send("readiness", ReadinessJson(*e, code.empty() ? -1 : e->data->regions.Find(code)));
    }
  }
  dirty_.clear();
}

}  // namespace tepat::server
