-- The file system (uv_fs_*, sync and on the thread pool), fs events
-- (inotify) and fs polls: write/read/stat/rename/scandir/unlink, a 2 MiB
-- file written and read back in chunks, errors by name, copyfile,
-- symlinks, and watchers that see a change.
local t = require("dropin")
local uv = t.uv

t.run(function()
  local dir = assert(uv.fs_mkdtemp("/tmp/eddy-luv-XXXXXX"))
  local path = dir .. "/file.txt"

  -- Synchronous calls.
  local fd = assert(uv.fs_open(path, "w", 420))
  t.eq(uv.fs_write(fd, "hello "), 6, "write")
  t.eq(uv.fs_write(fd, "world", 6), 5, "pwrite")
  assert(uv.fs_fsync(fd))
  assert(uv.fs_close(fd))
  t.eq(uv.fs_stat(path).size, 11, "size")
  t.eq(uv.fs_stat(path).type, "file", "type")
  fd = assert(uv.fs_open(path, "r", 0))
  t.eq(uv.fs_read(fd, 100, 0), "hello world", "read")
  t.eq(uv.fs_read(fd, 5, 6), "world", "pread")
  assert(uv.fs_close(fd))
  local _, err, name = uv.fs_stat(dir .. "/missing")
  t.eq(name, "ENOENT", "stat of a missing file")
  assert(err:match("^ENOENT"))
  assert(uv.fs_copyfile(path, dir .. "/copy.txt"))
  assert(uv.fs_symlink("file.txt", dir .. "/link"))
  t.eq(uv.fs_readlink(dir .. "/link"), "file.txt", "readlink")
  t.eq(uv.fs_realpath(dir .. "/link"), uv.fs_realpath(path), "realpath")
  t.eq(uv.fs_lstat(dir .. "/link").type, "link", "lstat")
  assert(uv.fs_chmod(path, 384))
  t.eq(uv.fs_stat(path).mode & 511, 384, "chmod")
  assert(uv.fs_utime(path, 1000000, 2000000))
  t.eq(uv.fs_stat(path).mtime.sec, 2000000, "utime")
  assert(uv.fs_mkdir(dir .. "/sub", 493))
  assert(uv.fs_access(path, "r"))

  -- scandir sees what is there.
  local names = {}
  local req = assert(uv.fs_scandir(dir))
  while true do
    local nm, typ = uv.fs_scandir_next(req)
    if not nm then break end
    names[#names + 1] = nm .. ":" .. typ
  end
  table.sort(names)
  t.eq(table.concat(names, " "),
       "copy.txt:file file.txt:file link:link sub:directory", "scandir")

  -- Asynchronous: a 2 MiB file written in 64 KiB chunks, read back.
  local chunk = string.rep("x", 65535) .. "\n"
  local big = dir .. "/big"
  local big_done_cb = t.expect("big file")
  local big_finished = false
  local function big_done() big_finished = true; big_done_cb() end
  uv.fs_open(big, "w", 420, function(oerr, bfd)
    assert(not oerr, oerr)
    local n = 0
    local function write_next()
      if n == 32 then
        uv.fs_close(bfd, function()
          uv.fs_stat(big, function(serr, st)
            assert(not serr, serr)
            t.eq(st.size, 32 * 65536, "big size")
            uv.fs_open(big, "r", 0, function(_, rfd)
              uv.fs_read(rfd, 32 * 65536 + 1, 0, function(rerr, data)
                assert(not rerr, rerr)
                assert(data == string.rep(chunk, 32), "big content")
                uv.fs_close(rfd, function() big_done() end)
              end)
            end)
          end)
        end)
        return
      end
      n = n + 1
      uv.fs_write(bfd, chunk, -1, function(werr, written)
        assert(not werr, werr)
        t.eq(written, 65536, "chunk written")
        write_next()
      end)
    end
    write_next()
  end)

  -- An fs event on the directory for a file created in it; an fs poll on
  -- a file that changes size.
  local ev = uv.new_fs_event()
  local ev_seen = t.expect("fs event")
  local seen = false
  ev:start(dir .. "/sub", {}, function(eerr, fname, events)
    assert(not eerr, eerr)
    if fname == "new" and not seen then
      seen = true
      assert(events.rename or events.change)
      ev_seen()
      ev:stop()
      ev:close()
    end
  end)
  local fp = uv.new_fs_poll()
  local fp_seen = t.expect("fs poll")
  fp:start(path, 10, function(perr, prev, curr)
    assert(not perr, perr)
    -- The rewrite truncates first: a poll may see the empty file on the
    -- way to the 3 bytes.
    if curr.size == 3 then
      assert(prev.size == 11 or prev.size == 0, prev.size)
      fp_seen()
      fp:stop()
      fp:close()
    end
  end)
  local later = uv.new_timer()
  later:start(50, 0, function()
    local f = assert(io.open(dir .. "/sub/new", "w")); f:close()
    f = assert(io.open(path, "w")); f:write("abc"); f:close()
    later:close()
  end)

  -- Clean up once everything is seen.
  local cleanup = uv.new_check()
  cleanup:start(function()
    if not ev:is_closing() or not fp:is_closing() or not big_finished then
      return
    end
    cleanup:close()
    for _, f in ipairs({ "file.txt", "copy.txt", "link", "big", "sub/new" }) do
      assert(uv.fs_unlink(dir .. "/" .. f))
    end
    assert(uv.fs_rmdir(dir .. "/sub"))
    uv.fs_rmdir(dir, function(rerr) assert(not rerr, rerr) end)
  end)
end)
