syn/pf_sram_sp.v
pf_act_buffer.v
pf_w_buffer.v
pf_pe_group.v
pf_pe_array.v
pf_dma.v
pf_ctrl.v
pf_accel.v
