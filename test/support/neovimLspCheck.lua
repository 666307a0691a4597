-- Driven by test/native/neovimLsp.test.ts: Neovim as a real LSP client of
-- `renacer lsp`, set up with the README's recipe (examples/neovim/renacer.lua).
-- Writes what it saw as JSON to $RESULT and quits.
local out = { messages = {}, errors = {} }
local function note_error(msg) table.insert(out.errors, tostring(msg)) end
vim.notify = function(msg, level)
  if level and level >= vim.log.levels.WARN then note_error(msg) end
end
vim.lsp.handlers['window/showMessage'] = function(_, result)
  table.insert(out.messages, { type = result.type, message = result.message })
end
local start = vim.lsp.start_client
vim.lsp.start_client = function(cfg)
  cfg.on_exit = function(code, signal) out.exit = { code = code, signal = signal } end
  return start(cfg)
end

local ok, err = pcall(function()
  local id = dofile(vim.env.RECIPE)
  out.started = id ~= nil
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.SRC))
  local buf = vim.api.nvim_get_current_buf()
  local line = tonumber(vim.env.LINE) - 1
  out.attached = vim.wait(10000, function() return #vim.lsp.buf_get_clients(buf) > 0 end, 50)
  vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out.diagnostics, { lnum = d.lnum, col = d.col, end_col = d.end_col, code = d.code, message = d.message })
  end
  vim.wait(3000, function() return #(vim.fn.sign_getplaced(buf, { group = '*' })[1].signs) > 0 end, 50)
  out.signs = #(vim.fn.sign_getplaced(buf, { group = '*' })[1].signs)

  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = 4 },
  }, 5000)
  for _, r in pairs(hover or {}) do
    if r.result then out.hover = r.result.contents.value end
  end

  out.codeLensProvider = vim.lsp.get_client_by_id(id).server_capabilities.codeLensProvider ~= nil
  vim.lsp.codelens.refresh()
  vim.wait(5000, function() return #vim.lsp.codelens.get(buf) > 0 end, 50)
  out.lenses = {}
  for _, l in ipairs(vim.lsp.codelens.get(buf)) do
    table.insert(out.lenses, { line = l.range.start.line, title = l.command and l.command.title, command = l.command and l.command.command })
  end
  vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
  local before = #out.messages
  vim.lsp.codelens.run()
  vim.wait(5000, function() return #out.messages > before end, 50)
  out.lensMessage = out.messages[before + 1] and out.messages[before + 1].message

  local client = vim.lsp.get_client_by_id(id)
  before = #out.messages
  local bad = client.request_sync('workspace/executeCommand', { command = 'renacer.loadTrace', arguments = { vim.env.BAD } }, 5000, buf)
  out.badLoad = { err = bad and bad.err and bad.err.message }
  vim.wait(3000, function() return #out.messages > before end, 50)
  out.badMessage = out.messages[before + 1] and out.messages[before + 1].message
  out.aliveAfterBad = not client.is_stopped()
  local good = client.request_sync('workspace/executeCommand', { command = 'renacer.loadTrace', arguments = { vim.env.TRACE } }, 5000, buf)
  out.goodLoad = good and good.result
  vim.wait(3000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  out.diagnosticsAfterReload = #vim.diagnostic.get(buf)

  client.stop()
  vim.wait(5000, function() return out.exit ~= nil end, 50)
end)
if not ok then note_error(err) end
out.errmsg = vim.v.errmsg
local f = io.open(vim.env.RESULT, 'w')
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd('qa!')
